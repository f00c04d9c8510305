"""Reproduce ``retrieval.article_weight`` and ``ARTICLE_BEST``: corpus top-1 for several of each.

    .venv/bin/python eval/article_prior.py

Every dev set's on-topic questions are asked of the corpus (``eval/devsets.yaml``), with no
article named, once per weight; indexes are shared with ``eval/fit_confidence.py``'s cache.
"""

from __future__ import annotations

import logging
import sys

from devsets import BACKENDS, dev_sets, engine_for, variant

from bot.corpus.questions import load_questions
from bot.qa.evaluate import metrics, run_eval
from bot.retrieval.rank import ARTICLE_BEST

WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)
BEST = (1, 2, 3, 5)  # how many of an article's best sentences make its evidence


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, corpus_config = dev_sets()
    items = [i for _, questions in sets.values() for i in load_questions(questions) if i.gold]
    engine = engine_for(corpus_config, BACKENDS[0], "corpus")
    for best in BEST:
        for weight in WEIGHTS if best == ARTICLE_BEST else WEIGHTS[1:4]:
            asker = variant(engine, article_best=best, article_weight=weight, abstain_threshold=0.0)
            m = metrics(run_eval(asker, items))
            print(f"ARTICLE_BEST {best} article_weight {weight:<5} top1 {m['top1']:.3f} top3 {m['top3']:.3f} "
                  f"({m['n_on']} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
