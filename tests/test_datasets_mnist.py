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


def test_data_dir_may_be_a_string(tmp_path, images, labels):
    write_pair(tmp_path, images, labels)
    got_images, got_labels = data.load_dataset("mnist", data_dir=str(tmp_path))
    assert np.array_equal(got_images, images) and np.array_equal(got_labels, labels)


def test_test_split_reads_the_t10k_files(tmp_path, images, labels):
    write_pair(tmp_path, images, labels, prefix="t10k")
    got_images, _ = data.load_dataset("mnist", data_dir=tmp_path, split="test")
    assert np.array_equal(got_images, images)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gz"])
def test_emnist_images_are_transposed_back(tmp_path, images, labels, compress):
    stored = images.transpose(0, 2, 1)  # EMNIST stores each image column by column
    stem = "emnist-letters-test"
    write(tmp_path, f"{stem}-images-idx3-ubyte", idx_bytes(stored, IMAGES_MAGIC), compress)
    write(tmp_path, f"{stem}-labels-idx1-ubyte", idx_bytes(labels, LABELS_MAGIC), compress)
    got, got_labels = data.load_dataset("emnist", data_dir=tmp_path, split="test", subset="letters")
    assert np.array_equal(got, images) and got.flags.c_contiguous
    assert np.array_equal(got_labels, labels) and got_labels.dtype == np.int64


def test_emnist_reads_the_balanced_subset_by_default(tmp_path, images, labels):
    stem = "emnist-balanced-train"
    stored = images.transpose(0, 2, 1)
    write(tmp_path, f"{stem}-images-idx3-ubyte", idx_bytes(stored, IMAGES_MAGIC))
    write(tmp_path, f"{stem}-labels-idx1-ubyte", idx_bytes(labels, LABELS_MAGIC))
    got, _ = data.load_dataset("emnist", data_dir=tmp_path)
    assert np.array_equal(got, images)


def test_a_missing_emnist_file_is_named(tmp_path, images):
    write(tmp_path, "emnist-digits-train-images-idx3-ubyte", idx_bytes(images, IMAGES_MAGIC))
    with pytest.raises(FileNotFoundError, match="emnist-digits-train-labels-idx1-ubyte"):
        data.load_dataset("emnist", data_dir=tmp_path, subset="digits")


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere does not exist"):
        data.load_dataset("mnist", data_dir=tmp_path / "nowhere")


@pytest.mark.parametrize("name", ["mnist", "emnist"])
def test_a_missing_data_dir_says_which_files_it_needs(name):
    with pytest.raises(ValueError, match=r"data_dir is required: .*-images-idx3-ubyte"):
        data.load_dataset(name)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("missing", ["images", "labels"])
def test_missing_file_is_named(tmp_path, images, labels, missing, compress):
    write_pair(tmp_path, images, labels, compress=compress)
    name = f"train-{missing}-idx{3 if missing == 'images' else 1}-ubyte"
    (tmp_path / (name + (".gz" if compress else ""))).unlink()
    with pytest.raises(FileNotFoundError, match=f"{name} \\(or {name}.gz\\) is missing"):
        data.load_dataset("mnist", data_dir=tmp_path)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gz"])
def test_images_and_labels_swapped_are_a_wrong_magic_number(tmp_path, images, labels, compress):
    write(tmp_path, "train-images-idx3-ubyte", idx_bytes(labels, LABELS_MAGIC), compress)
    write(tmp_path, "train-labels-idx1-ubyte", idx_bytes(images, IMAGES_MAGIC), compress)
    with pytest.raises(
        ValueError,
        match=r"train-images-idx3-ubyte(\.gz)?: magic number 0x00000801, but an image file "
        r"has 0x00000803",
    ):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_a_wrong_magic_number_in_the_label_file_is_reported(tmp_path, images, labels):
    write_pair(tmp_path, images, labels)
    write(tmp_path, "train-labels-idx1-ubyte", b"\x00\x00\x0d\x01" + bytes(9))
    with pytest.raises(
        ValueError, match=r"labels-idx1-ubyte: magic number 0x00000d01, but a label file"
    ):
        data.load_dataset("mnist", data_dir=tmp_path)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gz"])
def test_truncated_data_is_reported(tmp_path, images, labels, compress):
    write(tmp_path, "train-images-idx3-ubyte", idx_bytes(images, IMAGES_MAGIC)[:-100], compress)
    write(tmp_path, "train-labels-idx1-ubyte", idx_bytes(labels, LABELS_MAGIC), compress)
    with pytest.raises(
        ValueError,
        match=r"train-images-idx3-ubyte(\.gz)?: the header promises shape \(5, 28, 28\) "
        r"\(3920 bytes of data\) but 3820 bytes follow; the file is truncated",
    ):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_data_longer_than_the_header_says_is_reported(tmp_path, images, labels):
    write_pair(tmp_path, images, labels)
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes() + b"\x00\x01")
    with pytest.raises(ValueError, match=r"\(5,\) \(5 bytes of data\) but 7 bytes follow"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_a_header_truncated_among_its_dimensions_is_reported(tmp_path, images, labels):
    write_pair(tmp_path, images, labels)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:10])  # magic, one dimension, half of the next
    with pytest.raises(ValueError, match="truncated inside its header"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_truncated_header_is_reported(tmp_path, images, labels):
    write_pair(tmp_path, images, labels)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(LABELS_MAGIC.to_bytes(4, "big")[:3])
    with pytest.raises(ValueError, match="too short"):
        data.load_dataset("mnist", data_dir=tmp_path)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gz"])
def test_image_and_label_counts_must_match(tmp_path, images, labels, compress):
    write_pair(tmp_path, images, labels[:4], compress=compress)
    with pytest.raises(
        ValueError,
        match=r"train-images-idx3-ubyte(\.gz)? holds 5 images but "
        r"train-labels-idx1-ubyte(\.gz)? holds 4 labels",
    ):
        data.load_dataset("mnist", data_dir=tmp_path)


def corrupt_deflate_stream(payload: bytes) -> bytes:
    """A gzip file with a valid header whose compressed data is garbage."""
    packed = bytearray(gzip.compress(payload))
    for i in range(12, len(packed) - 8):  # past the 10-byte header, before the trailer
        packed[i] ^= 0xFF
    return bytes(packed)


@pytest.mark.parametrize(
    "damage",
    [
        lambda packed: b"not gzip at all",
        lambda packed: packed[:-20],
        lambda packed: packed[:-5] + bytes([packed[-5] ^ 0xFF]) + packed[-4:],
    ],
    ids=["not-gzip", "cut-short", "bad-crc"],
)
def test_corrupt_gzip_is_reported(tmp_path, images, labels, damage):
    write_pair(tmp_path, images, labels, compress=True)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz: .*corrupt"):
        data.load_dataset("mnist", data_dir=tmp_path)


def test_a_corrupt_compressed_stream_is_reported(tmp_path, images, labels):
    write_pair(tmp_path, images, labels, compress=True)
    payload = idx_bytes(images, IMAGES_MAGIC)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(corrupt_deflate_stream(payload))
    with pytest.raises(ValueError, match="corrupt"):
        data.load_dataset("mnist", data_dir=tmp_path)


@pytest.mark.parametrize("name", ["mnist", "emnist"])
def test_unknown_split_is_rejected(tmp_path, name):
    with pytest.raises(ValueError, match=r"split must be one of .*'validation'"):
        data.load_dataset(name, data_dir=tmp_path, split="validation")
