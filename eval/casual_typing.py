"""Measure ``retrieval.expand_chat``: top-1/top-3 of every dev set with and without writing out chat typing.

    .venv/bin/python eval/casual_typing.py

Ranking only (no abstention), on each article alone; "casual" is the subset of questions that the
expansion changes ("wen", "pk", "cb"...). Indexes are shared with ``eval/fit_confidence.py``'s cache.
"""

from __future__ import annotations

import logging
import sys

from devsets import BACKENDS, dev_sets, engine_for, variant

from bot.corpus.questions import load_questions
from bot.qa.evaluate import metrics, run_eval
from bot.retrieval.casual import expand


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, _ = dev_sets()
    totals = {False: [0, 0, 0], True: [0, 0, 0]}
    n = n_casual = 0
    for name, (config, questions) in sets.items():
        engine = engine_for(config, BACKENDS[0], name)
        items = [i for i in load_questions(questions) if i.gold]
        casual = [i for i in items if expand(i.q) != i.q]
        n, n_casual = n + len(items), n_casual + len(casual)
        cells = []
        for flag in (False, True):
            asker = variant(engine, expand_chat=flag, abstain_threshold=0.0)
            m, mc = metrics(run_eval(asker, items)), metrics(run_eval(asker, casual))
            totals[flag][0] += round(m["top1"] * len(items))
            totals[flag][1] += round(m["top3"] * len(items))
            totals[flag][2] += round(mc["top1"] * len(casual))
            cells.append(f"{m['top1']:.3f}/{m['top3']:.3f}, casual {mc['top1']:.3f} of {len(casual)}")
        print(f"{name:11} as typed: {cells[0]:34} written out: {cells[1]}")
    for flag, (t1, t3, c1) in totals.items():
        label = "written out" if flag else "as typed"
        print(f"{label:11} all: top-1 {t1}/{n}, top-3 {t3}/{n}; casual top-1 {c1}/{n_casual}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
