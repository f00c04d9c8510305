"""bot/index/encoders.py on its own: the hashing backend's contract, and the errors of a backend that
cannot be loaded."""

from __future__ import annotations

import numpy as np
import pytest

from bot.config import EncoderConfig
from bot.errors import EncoderError
from bot.index.encoders import HashingEncoder, load_encoder

TEXTS = ["The tram will have 19 stops.", "Le tram aura 19 arrêts.", "Bakers bake bread daily.", ""]


def test_hashing_rows_are_l2_normalised_float32_of_the_configured_dim():
    enc = load_encoder(EncoderConfig("hashing", "32"))
    assert (enc.dim, enc.id) == (32, "hashing:32:0")
    vectors = enc.encode_passages(TEXTS)
    assert vectors.shape == (len(TEXTS), 32) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert enc.encode_queries([]).shape == (0, 32)
    assert load_encoder(EncoderConfig("hashing")).dim == 64  # no model: the default size


def test_hashing_is_deterministic_and_has_no_query_or_passage_prefix():
    enc = load_encoder(EncoderConfig("hashing", "64"))
    assert load_encoder(EncoderConfig("hashing", "64")) is enc  # loaded once per process
    fresh = HashingEncoder(dim=64)  # a new table from the same seed: the same vectors
    np.testing.assert_array_equal(fresh.encode_queries(TEXTS), enc.encode_queries(TEXTS))
    # Queries and passages are encoded alike (no "query: " / "passage: " prefix), and case does not count.
    np.testing.assert_array_equal(enc.encode_queries(TEXTS), enc.encode_passages(TEXTS))
    np.testing.assert_array_equal(enc.encode_queries(["TRAM Stops"]), enc.encode_queries(["tram stops"]))
    assert not np.array_equal(HashingEncoder(dim=64, seed=1).encode_queries(TEXTS), enc.encode_queries(TEXTS))


def test_hashing_similar_strings_are_closer_than_unrelated_ones():
    a, b, c = HashingEncoder(dim=64).encode_queries(["the tram stops", "the tram stop", "bakers bake bread"])
    assert float(a @ b) > 0.8 > float(a @ c)


def test_an_unknown_backend_is_an_encoder_error():
    with pytest.raises(EncoderError, match="unknown encoder backend 'word2vec'"):
        load_encoder(EncoderConfig("word2vec"))


def test_a_sentence_transformers_model_that_is_not_here_is_an_encoder_error_naming_it(tmp_path):
    """A local path that does not exist (no hub is asked for one). Imports torch: seconds, not milliseconds."""
    missing = str(tmp_path / "no-such-model")
    with pytest.raises(EncoderError, match="cannot load sentence-transformers model") as err:
        load_encoder(EncoderConfig("sentence-transformers", missing))
    assert missing in str(err.value) and "local path" in str(err.value)
    empty = tmp_path / "empty-model"
    empty.mkdir()  # a folder that is no model
    with pytest.raises(EncoderError, match="cannot load sentence-transformers model"):
        load_encoder(EncoderConfig("sentence-transformers", str(empty)))
