"""Fitting the confidence models (``bot/confidence/model.py``) on question files, with leave-one-out figures.

Each question is asked through the engine; its evidence and two labels are kept: ``covered`` (an
on-topic question) and ``right`` (the first passage matches its gold). Two L2-regularised logistic
regressions on standardised features are fitted by Newton's method (numpy only): ``coverage`` on
``covered``, ``correct`` on ``right``.

Without the reader, ``coverage`` learns on-topic questions against unrelated ones only: near-topic
traps (``trap: true``, the article's people and things asked about what it never says) look
on-topic to every signal the encoders give (per-signal AUC against on-topic questions at most
0.64), and mixing them in cost unrelated questions their abstention (0.82 → 0.97 held out, same
false abstention) without catching traps (0.06 → 0.07); traps are left to ``correct`` (a low
P(right), the hedged "unsure" tier). With the reader's evidence (``reader_top``: its best answer
span against "no answer") traps are separable, and ``coverage`` learns them as not covered
(``traps=True``, what ``calibrate`` does whenever the evidence has the reader's).

The operating point ``abstain_threshold`` is the highest P(covered) cut at which the
leave-one-group-out false abstention stays within ``MAX_FALSE_ABSTAIN``; ``answer_threshold`` is 0.5
(below an even chance the answer is hedged).

A group is one article's questions: leave-one-group-out fits on the other articles and scores
the one left out, which is how the fit will meet an article it has never seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from bot.confidence.model import FEATURES, SCALE_FREE, Calibration, Logistic
from bot.corpus.questions import Item, norm

L2 = 1.0
MAX_FALSE_ABSTAIN = 0.04
ANSWER_THRESHOLD = 0.5
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.96, 0.01))


@dataclass(frozen=True)
class Observation:
    group: str
    question: str
    features: dict[str, float | None]
    covered: bool
    right: bool
    trap: bool = False


class Asker(Protocol):
    """What the fit asks its questions of: the engine (``bot/qa/engine.py``), a stage above this one."""

    def ask(self, question: str, k: int = 3, article: str | None = None) -> Any: ...


def observe(engine: Asker, items: list[Item], group: str) -> list[Observation]:
    """Ask every item; keep the evidence about the first passage and whether it is right."""
    out = []
    for item in items:
        answer = engine.ask(item.q, k=1, article=item.article)
        text = norm(answer.passage.sentence.text) if answer.passage else ""
        right = bool(item.gold) and any(g in text for g in item.gold)
        out.append(Observation(item.article or group, item.q, answer.evidence.features(), bool(item.gold), right,
                               item.trap))
    return out


def _matrix(obs: list[Observation], names: tuple[str, ...]) -> np.ndarray:
    x = np.array([[o.features.get(n) for n in names] for o in obs], dtype=float)
    seen = ~np.isnan(x)
    means = np.where(seen, x, 0.0).sum(axis=0) / np.maximum(seen.sum(axis=0), 1)
    return np.where(seen, x, means)  # a missing signal is read as average (0 when never seen)


def fit_logistic(obs: list[Observation], names: tuple[str, ...], label: str, l2: float = L2) -> Logistic:
    """L2-regularised logistic regression of ``label`` on standardised ``names`` (Newton's method)."""
    x = _matrix(obs, names)
    y = np.array([getattr(o, label) for o in obs], dtype=float)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std = np.where(std < 1e-9, 1.0, std)
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) + penalty @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Logistic(
        float(w[0]), {n: (float(m), float(s), float(v)) for n, m, s, v in zip(names, mean, std, w[1:], strict=True)}
    )


def _predict(model: Logistic, obs: list[Observation]) -> np.ndarray:
    return np.array([model.predict(o.features) for o in obs])


@dataclass(frozen=True)
class Held:
    """Leave-one-group-out predictions: each observation scored by the fit that did not see its group."""

    obs: list[Observation]
    coverage: np.ndarray
    correct: np.ndarray

    def figures(self, abstain_threshold: float, mask: np.ndarray | None = None) -> dict:
        keep = np.ones(len(self.obs), bool) if mask is None else mask
        on = np.array([o.covered for o in self.obs]) & keep
        off = ~np.array([o.covered for o in self.obs]) & keep
        trap = np.array([o.trap for o in self.obs]) & off
        right = np.array([o.right for o in self.obs])
        abstain = self.coverage < abstain_threshold
        shown = ~abstain & keep

        def share(pred: np.ndarray, among: np.ndarray) -> float | None:
            return round(float(pred[among].mean()), 4) if among.any() else None

        return {
            "n_on": int(on.sum()), "n_off": int(off.sum()),
            "top1": share(right & ~abstain, on), "false_abstain": share(abstain, on),
            "abstain_recall": share(abstain, off), "trap_abstain": share(abstain, trap),
            "unrelated_abstain": share(abstain, off & ~trap), "ece": _ece(self.correct[shown], right[shown]),
        }


def _ece(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float | None:
    if not len(conf):
        return None
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    return round(
        float(
            sum(
                abs(right[idx == b].mean() - conf[idx == b].mean()) * (idx == b).sum()
                for b in range(bins)
                if (idx == b).any()
            )
            / len(conf)
        ),
        4,
    )


def coverage_sample(obs: list[Observation], traps: bool) -> list[Observation]:
    """What ``coverage`` learns from: every observation with ``traps``, else all but the traps."""
    return list(obs) if traps else [o for o in obs if not o.trap]


def has_reader(obs: list[Observation]) -> bool:
    """Whether the evidence holds the reader's (the engine that was asked had one)."""
    return any(o.features.get("reader_top") is not None for o in obs)


def leave_one_group_out(obs: list[Observation], names: tuple[str, ...], traps: bool = False) -> Held:
    groups = sorted({o.group for o in obs})
    coverage, correct = np.zeros(len(obs)), np.zeros(len(obs))
    for g in groups:
        train = [o for o in obs if o.group != g]
        idx = [i for i, o in enumerate(obs) if o.group == g]
        test = [obs[i] for i in idx]
        if len({o.covered for o in coverage_sample(train, traps)}) < 2 or len({o.right for o in train}) < 2:
            coverage[idx], correct[idx] = 1.0, 0.5  # nothing to learn from: no abstention, even odds
            continue
        coverage[idx] = _predict(fit_logistic(coverage_sample(train, traps), names, "covered"), test)
        correct[idx] = _predict(fit_logistic(train, names, "right"), test)
    return Held(obs, coverage, correct)


def operating_point(held: Held) -> float:
    """The highest abstain threshold whose leave-one-out false abstention is within the limit."""
    best = THRESHOLDS[0]
    for t in THRESHOLDS:
        if (held.figures(t)["false_abstain"] or 0.0) <= MAX_FALSE_ABSTAIN:
            best = t
    return float(best)


def calibrate(obs: list[Observation], key: str, fitted_on: str, names: tuple[str, ...] = FEATURES,
              scale_free: bool = False) -> tuple[Calibration, Held]:
    """Fit both models on all of ``obs`` (the shipped constants) and the leave-one-out figures. With the
    reader's evidence, ``coverage`` learns the traps as not covered; without it, it leaves them out."""
    if scale_free:
        names = tuple(n for n in names if n in SCALE_FREE)
    traps = has_reader(obs)
    if not traps:
        names = tuple(n for n in names if not n.startswith("reader_"))
    held = leave_one_group_out(obs, names, traps)
    coverage = fit_logistic(coverage_sample(obs, traps), names, "covered")
    calibration = Calibration(key, coverage, fit_logistic(obs, names, "right"), fitted_on,
                              abstain_threshold=operating_point(held), answer_threshold=ANSWER_THRESHOLD)
    return calibration, held
