"""Reproduce ``retrieval.article_weight`` and ``ARTICLE_BEST``: corpus top-1 for several of each.

    .venv/bin/python eval/article_prior.py

Every dev set's on-topic questions are asked of the corpus (``eval/devsets.yaml``), with no
article named, once per weight; indexes are shared with ``eval/fit_confidence.py``'s cache.
"""

from __future__ import annotations

import dataclasses
import logging
import sys

from fit_confidence import BACKENDS, dev_sets, engine_for

import bot.retrieval.rank
from bot.corpus.questions import load_questions
from bot.qa.evaluate import metrics, run_eval

WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)
BEST = (1, 2, 3, 5)  # how many of an article's best sentences make its evidence


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, corpus_config = dev_sets()
    items = [i for _, questions in sets.values() for i in load_questions(questions) if i.gold]
    engine = engine_for(corpus_config, BACKENDS[0], "corpus")
    retriever = engine.retriever
    shipped = bot.retrieval.rank.ARTICLE_BEST
    for best in BEST:
        bot.retrieval.rank.ARTICLE_BEST = best
        for weight in WEIGHTS if best == shipped else WEIGHTS[1:4]:
            retriever.cfg = dataclasses.replace(retriever.cfg, article_weight=weight, abstain_threshold=0.0)
            m = metrics(run_eval(engine, items))
            print(f"ARTICLE_BEST {best} article_weight {weight:<5} top1 {m['top1']:.3f} top3 {m['top3']:.3f} "
                  f"({m['n_on']} questions)")
    bot.retrieval.rank.ARTICLE_BEST = shipped
    return 0


if __name__ == "__main__":
    sys.exit(main())
