"""How far can the signals the engine has go? Upper bounds fitted on the questions themselves.

    .venv/bin/python eval/ceiling.py config.yaml:eval/xiaomi-us.fr.yaml \
        eval/english/config.yaml:eval/english/questions.yaml [--trials 4000] [--json]

For every on-topic question the engine's per-sentence signals are computed exactly as ``ask``
computes them: the e5 cosine with the sentence under its title (``ctx``), with the bare sentence
(``sent``), the damped translated BM25 (``lexical``) and the USE cosine (``topic``). Then:

- **ranking ceiling**: a seeded random search over linear weights of those four signals keeps the
  weights with the best worst-set top-1 *on these very questions* (and, more optimistic still,
  with weights tuned for each set alone). No honest tuning can do better
  with a linear fusion of these signals, so when this number is below a target, the target needs a
  new signal (a better encoder, a reranker), not new weights.
- **abstention ceiling**: a logistic model over six question-level coverage signals, fitted on
  these very questions (on- vs off-topic), with the threshold also chosen on them: the best
  abstention recall reachable at false abstain <= 0.04.

Both are optimistic by construction (fitted in-sample); the shipped figures come from
``article-bot eval``. Nothing here is used at run time.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

import numpy as np

from bot.config import load_config
from bot.corpus.questions import load_questions, norm
from bot.qa.engine import Engine
from bot.retrieval.evidence import damped

RANK_SIGNALS = ("ctx", "sent", "lexical", "topic")
COVER_SIGNALS = ("topic_max", "dense_max", "grounding_min", "grounding_mean", "margin", "lexical_max")


_BARE: dict[str, np.ndarray] = {}


def bare_sentences(r, cand: np.ndarray) -> np.ndarray:
    """The bare-sentence dense vectors of ``cand``: from the index when it has that view (only when
    ``sentence_weight`` uses it), else encoded here once per sentence."""
    if "dense.sent" in r.index.views:
        return r.index.vectors("dense.sent", cand)
    missing = [r.rows[int(i)] for i in cand if r.rows[int(i)].id not in _BARE]
    if missing:
        _BARE.update(zip([s.id for s in missing], r.dense.encode_passages([s.text for s in missing]), strict=True))
    return np.array([_BARE[r.rows[int(i)].id] for i in cand])


def question_signals(engine: Engine, item) -> dict:
    """Per-candidate ranking signals, the gold mask, and the question-level coverage signals."""
    r = engine.retriever
    _, q, c = r.score(item.q, article=item.article)
    cand = c.rows
    per = {
        "ctx": c.dense,
        "sent": bare_sentences(r, cand) @ q.dense,
        "lexical": damped(c.lexical),
        "topic": c.topic if c.topic is not None else np.zeros(len(cand)),
    }
    ctx = np.sort(c.dense)[::-1]
    grounding = np.array([1.0 if r.lexical.has_word(w) else max((sim for _, sim in q.nearest.get(w, [])[:3]),
                                                               default=0.0) for w in q.words] or [1.0])
    cover = {
        "topic_max": float(c.topic.max()) if c.topic is not None and len(cand) else 0.0,
        "dense_max": float(ctx[0]),
        "grounding_min": float(grounding.min()),
        "grounding_mean": float(grounding.mean()),
        "margin": float(ctx[0] - ctx[1]) if len(ctx) > 1 else 0.0,
        "lexical_max": float(c.lexical.max()) if len(cand) else 0.0,
    }
    rows = r.rows
    gold = np.array([any(g in norm(rows[i].text) for g in item.gold) for i in cand], dtype=bool)
    return {"matrix": np.stack([per[s] for s in RANK_SIGNALS], axis=1), "cand": cand, "gold": gold,
            "cover": [cover[s] for s in COVER_SIGNALS], "on": bool(item.gold)}


def top_k(questions: list[dict], weights: np.ndarray) -> tuple[float, float]:
    """Top-1 and top-3 of the on-topic questions ranked by ``matrix @ weights`` (ties by row id)."""
    on = [q for q in questions if q["on"]]
    t1 = t3 = 0
    for q in on:
        order = np.lexsort((q["cand"], -(q["matrix"] @ weights)))
        t1 += bool(q["gold"][order[0]])
        t3 += bool(q["gold"][order[:3]].any())
    return t1 / max(len(on), 1), t3 / max(len(on), 1)


def shipped_weights(cfg) -> np.ndarray:
    """The fusion ``Retriever.score`` applies, as weights of RANK_SIGNALS (USE does not rank)."""
    return np.array([1.0, cfg.sentence_weight, cfg.lexical_weight, 0.0])


def figures(questions: list[dict], weights: np.ndarray) -> dict:
    return dict(zip(("top1", "top3"), np.round(top_k(questions, weights), 3).tolist(), strict=True))


def ranking_ceiling(sets: list[list[dict]], trials: int, start: np.ndarray, seed: int = 0) -> dict:
    """Best worst-set top-1 over ``start`` and seeded random weights (``ctx`` weight kept positive)."""
    rng = np.random.default_rng(seed)
    best_w, best = start, min(top_k(s, start)[0] for s in sets)
    for _ in range(trials):
        w = np.where(rng.random(len(RANK_SIGNALS)) < 0.5, rng.normal(0.0, 0.5, len(RANK_SIGNALS)), 0.0)
        w[0] = abs(w[0]) + 0.5
        score = min(top_k(s, w)[0] for s in sets)
        if score > best:
            best_w, best = w, score
    return {"weights": dict(zip(RANK_SIGNALS, np.round(best_w, 3).tolist(), strict=True)),
            "per_set": [figures(s, best_w) for s in sets]}


def _logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """L2-regularised logistic regression by Newton steps; returns [bias, weights...]."""
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + l2 * np.r_[0.0, w[1:]]
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def best_recall(p_on_topic: np.ndarray, on: np.ndarray, max_false_abstain: float = 0.04) -> float:
    """Best share of off-topic questions abstained on, over thresholds keeping false abstain low."""
    best = 0.0
    for t in np.unique(p_on_topic):
        if (p_on_topic[on] < t).mean() <= max_false_abstain:
            best = max(best, float((p_on_topic[~on] < t).mean()))
    return best


def abstention_ceiling(questions: list[dict]) -> dict:
    x = np.array([q["cover"] for q in questions], dtype=float)
    on = np.array([q["on"] for q in questions], dtype=bool)
    z = (x - x.mean(0)) / (x.std(0) + 1e-9)
    w = _logistic(z, on.astype(float))
    p = 1.0 / (1.0 + np.exp(-(np.hstack([np.ones((len(z), 1)), z]) @ w)))
    return {"fitted_in_sample": round(best_recall(p, on), 3),
            "single_signal": {s: round(best_recall(x[:, i], on), 3) for i, s in enumerate(COVER_SIGNALS)}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+", metavar="CONFIG:QUESTIONS")
    ap.add_argument("--trials", type=int, default=4000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    sets, names, shipped = [], [], []
    for spec in args.sets:
        config, _, questions = spec.partition(":")
        engine = Engine(load_config(config))
        sets.append([question_signals(engine, item) for item in load_questions(questions)])
        names.append(questions)
        shipped.append(shipped_weights(engine.config.retrieval))
    report = {
        "sets": names,
        "ranking_shipped": [figures(s, w) for s, w in zip(sets, shipped, strict=True)],
        "ranking_ceiling": ranking_ceiling(sets, args.trials, shipped[0]),
        "ranking_ceiling_each_set_alone": [ranking_ceiling([s], args.trials, w)["per_set"][0]
                                           for s, w in zip(sets, shipped, strict=True)],
        "abstention_ceiling": abstention_ceiling([q for s in sets for q in s]),
    }
    if not args.json:
        for key, value in report.items():
            print(f"{key}: {value}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
