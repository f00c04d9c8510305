"""Reproduce ``retrieval.article_weight``: top-1 on all dev articles as one corpus, for several weights.

    .venv/bin/python eval/article_prior.py

Every dev set's on-topic questions are asked of the corpus (``eval/devsets.yaml``), with no
article named, once per weight; indexes are shared with ``eval/fit_confidence.py``'s cache.
"""

from __future__ import annotations

import dataclasses
import logging
import sys

from fit_confidence import BACKENDS, dev_sets, engine_for

from bot.evaluate import load_questions, metrics, run_eval

WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, corpus_config = dev_sets()
    items = [i for _, questions in sets.values() for i in load_questions(questions) if i.gold]
    engine = engine_for(corpus_config, BACKENDS[0], "corpus")
    retriever = engine.retriever
    for weight in WEIGHTS:
        retriever.cfg = dataclasses.replace(retriever.cfg, article_weight=weight, abstain_threshold=0.0)
        m = metrics(run_eval(engine, items))
        print(f"article_weight {weight:<5} top1 {m['top1']:.3f} top3 {m['top3']:.3f} ({m['n_on']} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
