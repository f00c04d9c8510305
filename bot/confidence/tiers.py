"""Tiers: how sure the engine is of its first passage, decided from the evidence by the calibration.

``judge`` reads the two calibrated models of ``model.py`` and the operating points (the config's when
set, else the fit's): below ``abstain_threshold`` of P(covered) the article does not cover the question;
below ``answer_threshold`` of P(the passage answers) the answer is shown with a hedge.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.confidence.model import Calibration
from bot.retrieval.values import Evidence


class Tier(enum.StrEnum):
    """How the answer is shown: quoted, quoted with a hedge, or "not covered by the article"."""

    ANSWER = "answer"
    UNSURE = "unsure"
    NOT_COVERED = "not_covered"


@dataclass(frozen=True)
class Judgement:
    """How sure the engine is of a ranking's first passage."""

    tier: Tier
    coverage: float     # P(the article answers the question at all)
    confidence: float   # P(the first passage answers it)


def judge(calibration: Calibration, evidence: Evidence, abstain_threshold: float | None = None,
          answer_threshold: float | None = None) -> Judgement:
    """The tier of an answer with this ``evidence``. The thresholds: the config's when set (not None),
    else the calibration's own operating points."""
    abstain = calibration.abstain_threshold if abstain_threshold is None else abstain_threshold
    hedge = calibration.answer_threshold if answer_threshold is None else answer_threshold
    features = evidence.features()
    coverage = calibration.coverage.predict(features)
    confidence = calibration.correct.predict(features)
    if coverage < abstain:
        tier = Tier.NOT_COVERED
    else:
        tier = Tier.ANSWER if confidence >= hedge else Tier.UNSURE
    return Judgement(tier, coverage, confidence)
