"""bot/confidence/tiers.py on its own: judge() sorts evidence into the three tiers; config thresholds win."""

from __future__ import annotations

import pytest

from bot.confidence.model import Calibration, Logistic
from bot.confidence.tiers import Judgement, Tier, judge
from bot.retrieval.values import Evidence

#: P(covered) follows grounding_min, P(right) follows lexical_top: steep, centred on 0.5.
CALIBRATION = Calibration("test", Logistic(0.0, {"grounding_min": (0.5, 0.1, 5.0)}),
                          Logistic(0.0, {"lexical_top": (0.5, 0.1, 5.0)}), "hand-made", 0.5, 0.5)


def evidence(grounding: float | None, lexical: float) -> Evidence:
    return Evidence(topic_max=None, dense_top=0.5, grounding_min=grounding, grounding_mean=grounding,
                    passage_min=None, passage_mean=None, margin=0.0, lexical_top=lexical, agree=0.0,
                    type_expected=0.0, type_missing=0.0, type_top=0.0, type_subject_missing=0.0, unknown_names=0.0)


@pytest.mark.parametrize(("grounding", "lexical", "tier"), [
    (0.9, 0.9, Tier.ANSWER),        # covered, and the passage answers
    (0.9, 0.1, Tier.UNSURE),        # covered, the passage may not say it exactly
    (0.1, 0.9, Tier.NOT_COVERED),   # not covered, however good the passage looks
    (0.1, 0.1, Tier.NOT_COVERED),
])
def test_three_tiers_from_the_calibrations_operating_points(grounding, lexical, tier):
    got = judge(CALIBRATION, evidence(grounding, lexical))
    assert got.tier is tier
    assert got.coverage == pytest.approx(CALIBRATION.coverage.predict({"grounding_min": grounding}))
    assert got.confidence == pytest.approx(CALIBRATION.correct.predict({"lexical_top": lexical}))


def test_at_the_threshold_is_covered_and_answered():
    even = Calibration("even", Logistic(0.0, {}), Logistic(0.0, {}), "", 0.5, 0.5)  # both exactly 0.5
    assert judge(even, evidence(None, 0.0)) == Judgement(Tier.ANSWER, 0.5, 0.5)


def test_the_configs_thresholds_override_the_fits():
    unsure = evidence(0.9, 0.1)
    assert judge(CALIBRATION, unsure, answer_threshold=0.0).tier is Tier.ANSWER
    assert judge(CALIBRATION, unsure, abstain_threshold=1.0).tier is Tier.NOT_COVERED
    uncovered = evidence(0.1, 0.9)
    assert judge(CALIBRATION, uncovered, abstain_threshold=0.0).tier is Tier.ANSWER
    # 0.0 is a threshold, not "unset": only None falls back to the fit's own operating point.
    strict = Calibration("strict", CALIBRATION.coverage, CALIBRATION.correct, "", 0.999, 0.999)
    assert judge(strict, evidence(0.6, 0.6)).tier is Tier.NOT_COVERED
    assert judge(strict, evidence(0.6, 0.6), abstain_threshold=0.0).tier is Tier.UNSURE
    assert judge(strict, evidence(0.6, 0.6), abstain_threshold=0.0, answer_threshold=0.0).tier is Tier.ANSWER


def test_a_signal_that_is_not_available_weighs_nothing():
    # No grounding (None): coverage is the model's bias alone, 0.5, which the 0.5 threshold covers.
    got = judge(CALIBRATION, evidence(None, 0.9))
    assert got.coverage == pytest.approx(0.5) and got.tier is Tier.ANSWER
