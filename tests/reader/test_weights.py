"""Loading the reader's weights: the checksum, and one clear error for a missing or damaged file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.errors import ReaderError
from bot.reader.weights import MANIFEST_NAME, SHIPPED, WEIGHTS_NAME, load_weights, save_weights


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    save_weights(tmp_path, {"head.w": rng.standard_normal((384, 2)), "head.b": np.zeros(2)},
                 {"layers": 2, "frozen": 2, "max_tokens": 128})
    return tmp_path


def test_saved_weights_load_back_as_float32_with_their_manifest(folder):
    tensors, manifest = load_weights(folder)
    assert set(tensors) == {"head.w", "head.b"} and tensors["head.w"].dtype == np.float32
    assert manifest["layers"] == 2 and len(manifest["sha256"]) == 64


def test_the_shipped_weights_match_their_checksum():
    tensors, manifest = load_weights(SHIPPED)
    assert "head.w" in tensors and manifest["frozen"] < manifest["layers"]
    assert (SHIPPED / WEIGHTS_NAME).stat().st_size == manifest["bytes"] < 40_000_000


def test_a_missing_weights_file_says_how_to_get_it_back(folder):
    (folder / WEIGHTS_NAME).unlink()
    with pytest.raises(ReaderError, match="missing.*reinstall article-bot, or rebuild them with"):
        load_weights(folder)


def test_a_damaged_weights_file_is_refused_by_its_checksum(folder):
    data = bytearray((folder / WEIGHTS_NAME).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / WEIGHTS_NAME).write_bytes(bytes(data))
    with pytest.raises(ReaderError, match="is damaged"):
        load_weights(folder)


def test_a_manifest_that_is_not_json_or_of_another_format_is_refused(folder):
    (folder / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(ReaderError, match="cannot read"):
        load_weights(folder)
    (folder / MANIFEST_NAME).write_text(json.dumps({"format": 99}), encoding="utf-8")
    with pytest.raises(ReaderError, match="format 1"):
        load_weights(folder)
