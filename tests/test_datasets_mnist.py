"""The MNIST-family IDX reader, on tiny IDX files the tests write themselves."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from core import data
from plugins.datasets.mnist import IMAGES_MAGIC, LABELS_MAGIC


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write(folder: Path, name: str, payload: bytes, compress: bool = False) -> Path:
    path = folder / (name + (".gz" if compress else ""))
    path.write_bytes(gzip.compress(payload) if compress else payload)
    return path


@pytest.fixture
def images() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, size=(5, 28, 28)).astype(np.uint8)


@pytest.fixture
def labels() -> np.ndarray:
    return np.array([3, 1, 4, 1, 5], dtype=np.uint8)


def write_pair(folder, images, labels, prefix="train", compress=False):
    write(folder, f"{prefix}-images-idx3-ubyte", idx_bytes(images, IMAGES_MAGIC), compress)
    write(folder, f"{prefix}-labels-idx1-ubyte", idx_bytes(labels, LABELS_MAGIC), compress)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("name", ["mnist", "fashion-mnist", "kmnist"])
def test_reads_images_and_labels(tmp_path, images, labels, compress, name):
    write_pair(tmp_path, images, labels, compress=compress)
    got_images, got_labels = data.load_dataset(name, data_dir=tmp_path, split="train")
    assert np.array_equal(got_images, images) and got_images.dtype == np.uint8
    assert np.array_equal(got_labels, labels) and got_labels.dtype == np.int64


def test_test_split_reads_the_t10k_files(tmp_path, images, labels):
    write_pair(tmp_path, images, labels, prefix="t10k")
    got_images, _ = data.load_dataset("mnist", data_dir=tmp_path, split="test")
    assert np.array_equal(got_images, images)


def test_emnist_images_are_transposed_back(tmp_path, images, labels):
    stored = images.transpose(0, 2, 1)
    write(tmp_path, "emnist-letters-train-images-idx3-ubyte", idx_bytes(stored, IMAGES_MAGIC))
    write(tmp_path, "emnist-letters-train-labels-idx1-ubyte", idx_bytes(labels, LABELS_MAGIC))
    got, _ = data.load_dataset("emnist", data_dir=tmp_path, split="train", subset="letters")
    assert np.array_equal(got, images)


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        data.load_dataset("mnist", data_dir=tmp_path / "nowhere")


def test_missing_file_is_named(tmp_path, images):
    write(tmp_path, "train-images-idx3-ubyte", idx_bytes(images, IMAGES_MAGIC))
    with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_wrong_magic_number_is_reported(tmp_path, images, labels):
    write(tmp_path, "train-images-idx3-ubyte", idx_bytes(labels, LABELS_MAGIC))
    write(tmp_path, "train-labels-idx1-ubyte", idx_bytes(labels, LABELS_MAGIC))
    with pytest.raises(ValueError, match="magic number 0x00000801"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_truncated_data_is_reported(tmp_path, images, labels):
    write_pair(tmp_path, images, labels)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="truncated"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_truncated_header_is_reported(tmp_path, images, labels):
    write_pair(tmp_path, images, labels)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(LABELS_MAGIC.to_bytes(4, "big")[:3])
    with pytest.raises(ValueError, match="too short"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_image_and_label_counts_must_match(tmp_path, images, labels):
    write_pair(tmp_path, images, labels[:4])
    with pytest.raises(ValueError, match=r"5 images but .* 4 labels"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_corrupt_gzip_is_reported(tmp_path, images, labels):
    write_pair(tmp_path, images, labels, compress=True)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match="corrupt"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_unknown_split_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="split"):
        data.load_dataset("mnist", data_dir=tmp_path, split="validation")
