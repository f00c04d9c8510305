"""bot/confidence/fit.py and `article-bot calibrate`: the fit, its leave-one-out figures, where it is stored."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.cli.main import main
from bot.confidence.fit import Observation, calibrate, fit_logistic, leave_one_group_out, operating_point
from bot.confidence.model import SHIPPED, Calibration, Logistic, candidate_keys, load_calibration, read_calibrations
from bot.qa.engine import Engine
from tests.support.project import write_yaml


def obs(group: str, x: float, covered: bool, right: bool, trap: bool = False) -> Observation:
    return Observation(group, f"q{x}", {"signal": x, "other": None}, covered, right, trap)


def test_logistic_fit_learns_the_direction_and_reads_a_missing_signal_as_average():
    data = [obs("a", x, x > 0.5, x > 0.7) for x in np.linspace(0, 1, 40)]
    model = fit_logistic(data, ("signal", "other"), "covered")
    assert model.weights["signal"][2] > 0
    assert model.predict({"signal": 0.95}) > 0.8 > 0.2 > model.predict({"signal": 0.05})
    assert model.predict({}) == pytest.approx(model.predict({"signal": model.weights["signal"][0]}))


def test_coverage_ignores_traps_and_the_operating_point_respects_false_abstention():
    rng = np.random.default_rng(0)
    data = []
    for g in "abc":
        data += [obs(g, float(rng.uniform(0.4, 1.0)), True, bool(rng.uniform() < 0.7)) for _ in range(30)]
        data += [obs(g, float(rng.uniform(0.0, 0.5)), False, False) for _ in range(10)]
        data += [obs(g, float(rng.uniform(0.4, 1.0)), False, False, trap=True) for _ in range(10)]
    calibration, held = calibrate(data, "k", "fixture", names=("signal",))
    # Traps look on-topic: left out of the coverage fit, they do not drag its threshold into on-topic ground.
    assert calibration.coverage.predict({"signal": 0.9}) > 0.9
    figures = held.figures(calibration.abstain_threshold)
    assert figures["false_abstain"] <= 0.04
    assert figures["unrelated_abstain"] >= 0.6
    assert figures["trap_abstain"] is not None and figures["trap_abstain"] < 0.5
    assert calibration.abstain_threshold == operating_point(held)
    assert len(held.coverage) == len(data) and set(held.coverage) != {1.0}  # every group scored by the others


def test_leave_one_group_out_never_sees_the_group_it_scores():
    data = [obs("a", 0.9, True, True), obs("a", 0.1, False, False)] * 5 + \
           [obs("b", 0.1, True, True), obs("b", 0.9, False, False)] * 5  # b says the opposite of a
    held = leave_one_group_out(data, ("signal",))
    b_on = [c for o, c in zip(held.obs, held.coverage, strict=True) if o.group == "b" and o.covered]
    assert max(b_on) < 0.5  # scored by the fit on a alone, which gets b wrong


def test_load_calibration_prefers_the_index_folder_then_shipped_then_fallback(tmp_path):
    shipped = read_calibrations(SHIPPED)
    assert "fallback" in shipped
    assert load_calibration("no-such+encoders", tmp_path).key == "fallback"
    own = Calibration("mine+none", Logistic(2.0, {}), Logistic(-1.0, {}), "test", 0.3, 0.6)
    (tmp_path / "calibration.json").write_text(json.dumps({"mine+none": own.to_json()}), encoding="utf-8")
    assert load_calibration("mine+none", tmp_path) == own
    (tmp_path / "calibration.json").write_text("not json", encoding="utf-8")
    assert load_calibration("mine+none", tmp_path).key == "fallback"  # a broken file is ignored, with a warning


def test_with_a_reader_the_readers_fallback_then_the_pairs_own_fit_then_the_fallback(tmp_path):
    assert candidate_keys("e5+use+reader:abc") == ["e5+use+reader:abc", "fallback+reader:abc", "e5+use", "fallback"]
    assert candidate_keys("e5+use") == ["e5+use", "fallback"]
    own = Calibration("mine+none", Logistic(2.0, {}), Logistic(-1.0, {}), "test", 0.3, 0.6)
    (tmp_path / "calibration.json").write_text(json.dumps({"mine+none": own.to_json()}), encoding="utf-8")
    shipped = read_calibrations(SHIPPED)
    got = load_calibration("mine+none+reader:unknown", tmp_path)  # no fit with that reader anywhere
    assert got == own  # the pair's own fit without the reader, ahead of the encoder-independent fallback
    readers = [k for k in shipped if k.startswith("fallback+reader:")]
    for key in readers:  # a shipped reader's fallback serves any encoder pair with that reader
        assert load_calibration(f"other+none+{key.split('+', 1)[1]}").key == key


def test_calibrate_command_fits_the_configured_encoders_and_the_engine_uses_it(capsys, built_project):
    questions = []
    for article, on, off in [
        ("tram.en", ["when does construction begin", "how long is the line", "how many stops are there",
                     "how much does it cost", "how often do trams run", "who leads the project"],
         ["what is the capital of peru", "best pancake recipe", "who won the world cup"]),
        ("bakery.en", ["when did the bakery reopen", "what does the new owner bake", "how many days is it open",
                       "where does the flour come from", "who is the new owner", "when did queues form"],
         ["how tall is mount everest", "what is the speed of light", "how do i boil an egg"]),
    ]:
        gold = {"tram.en": ["begin in March", "14.2 kilometres", "19 stops", "$612 million", "seven minutes",
                            "Alice Moreno"],
                "bakery.en": ["reopened on Monday", "bakes bread", "six days", "mill in the valley",
                              "former teacher", "before dawn"]}[article]
        items = [{"q": q, "gold": [g], "article": article} for q, g in zip(on, gold, strict=True)]
        items += [{"q": q, "gold": []} for q in off]
        questions.append(write_yaml(built_project.root / f"{article}.yaml", items))
    code = main(["calibrate", *map(str, questions), "--json", "--config", str(built_project.config_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "leave-one-group-out" in out and "wrote" in out
    report = json.loads(out.strip().splitlines()[-1])
    engine = Engine(built_project.config())
    assert report["key"] == engine.encoder_key
    stored = read_calibrations(built_project.root / "index" / "calibration.json")[engine.encoder_key]
    assert engine.calibration == stored  # the next start uses the fit
    assert 0.0 < stored.abstain_threshold < 1.0
    assert "confidence calibrated for" in engine.info()["calibration"]
    # A rebuild of the index keeps the fit (it is about the encoders, not the articles).
    assert Engine(built_project.config(), force_rebuild=True).calibration == stored


def test_calibrate_command_needs_two_articles_and_both_kinds_of_question(capsys, built_project):
    one = write_yaml(built_project.root / "one.yaml", [{"q": "when does construction begin",
                                                        "gold": ["begin in March"]}])
    code = main(["calibrate", str(one), "--config", str(built_project.config_path)])
    assert code == 2
    assert "at least two articles" in capsys.readouterr().err
    assert not (built_project.root / "index" / "calibration.json").exists()
