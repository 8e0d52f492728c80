"""MNIST-family images from the standard IDX files in a local folder (no download).

``load_dataset("mnist", data_dir="~/data/mnist", split="train")`` -> ``(images, labels)``:
images (N, 28, 28) uint8, labels (N,) int64. The same for ``"fashion-mnist"`` and ``"kmnist"``
(same file names), and ``"emnist"`` with ``subset="balanced"`` (``emnist-balanced-train-...``).
Files may be raw or gzip-compressed (``.gz``).

IDX format: a big-endian header — two zero bytes, a type byte (0x08 = unsigned byte), the
number of dimensions — then one big-endian uint32 per dimension, then the data.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

from core import hookimpl

IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions (N, rows, cols)
LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension (N,)
SPLIT_PREFIX = {"train": "train", "test": "t10k"}


class DatasetFileError(ValueError):
    """An IDX file is missing, truncated or not what its name says."""


def _read_bytes(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise DatasetFileError(
            f"{path}: cannot be read ({error}); the file looks corrupt, download it again"
        ) from error


def read_idx(path: Path, magic: int) -> np.ndarray:
    """Parse one IDX file of unsigned bytes, checking its magic number and size."""
    raw = _read_bytes(path)
    what = "an image file" if magic == IMAGES_MAGIC else "a label file"
    if len(raw) < 4:
        raise DatasetFileError(f"{path}: only {len(raw)} bytes, too short for an IDX header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise DatasetFileError(
            f"{path}: magic number 0x{found:08x}, but {what} has 0x{magic:08x}; "
            "is this the right file (images vs labels), and is it decompressed correctly?"
        )
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DatasetFileError(f"{path}: truncated inside its header ({len(raw)} bytes)")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64))
    available = len(raw) - header
    if available != expected:
        raise DatasetFileError(
            f"{path}: the header promises shape {shape} ({expected} bytes of data) but "
            f"{available} bytes follow; the file is "
            + ("truncated" if available < expected else "longer than its header says")
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def _find(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"{name} (or {name}.gz) is missing from {folder}; put the dataset's IDX files there "
        "(as published, raw or gzip-compressed)"
    )


def load_idx_pair(
    data_dir: str | Path | None, images_name: str, labels_name: str, transpose: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, rows, cols) uint8 and labels (N,) int64 from two IDX files in ``data_dir``."""
    if data_dir is None:
        raise ValueError(
            f"data_dir is required: the folder holding {images_name} and {labels_name} "
            '(raw or .gz), e.g. load_dataset("mnist", data_dir="~/data/mnist")'
        )
    folder = Path(data_dir).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"data folder {folder} does not exist")
    images_path, labels_path = _find(folder, images_name), _find(folder, labels_name)
    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC).astype(np.int64)
    if len(images) != len(labels):
        raise DatasetFileError(
            f"{images_path.name} holds {len(images)} images but "
            f"{labels_path.name} holds {len(labels)} labels; they must match"
        )
    if transpose:  # EMNIST stores each image column by column
        images = images.transpose(0, 2, 1)
    return np.ascontiguousarray(images), labels


def _check_split(split: str) -> None:
    if split not in SPLIT_PREFIX:
        raise ValueError(f"split must be one of {sorted(SPLIT_PREFIX)}, got {split!r}")


def load_mnist_style(data_dir: str | Path | None = None, split: str = "train"):
    """MNIST, Fashion-MNIST and KMNIST: ``train-images-idx3-ubyte`` and friends."""
    _check_split(split)
    prefix = SPLIT_PREFIX[split]
    return load_idx_pair(data_dir, f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte")


def load_emnist(data_dir: str | Path | None = None, split: str = "train", subset: str = "balanced"):
    """EMNIST: ``emnist-<subset>-<train|test>-images-idx3-ubyte`` and labels."""
    _check_split(split)
    stem = f"emnist-{subset}-{split}"
    return load_idx_pair(
        data_dir, f"{stem}-images-idx3-ubyte", f"{stem}-labels-idx1-ubyte", transpose=True
    )


@hookimpl
def gradkit_register_datasets(register):
    register("mnist", load_mnist_style)
    register("fashion-mnist", load_mnist_style)
    register("kmnist", load_mnist_style)
    register("emnist", load_emnist)
