"""The quality tables of docs/quality.md: every dev set alone and in the corpus, per language, reliability.

    .venv/bin/python eval/report.py [--reader] [--json]

``--reader``: with the shipped reader on (``retrieval.reader: {}``; off by default).

Uses the shipped calibration, which was fitted on these very sets (its held-out figures come from
``eval/fit_confidence.py``). Indexes are shared with that script's cache.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from devsets import BACKENDS, dev_sets, engine_for

from bot.config import ReaderConfig
from bot.corpus.questions import load_questions
from bot.qa.evaluate import by_language, metrics, reliability, run_eval

COLUMNS = ("n_on", "n_off", "top1", "top3", "mrr", "abstain_recall", "false_abstain", "trap_abstain",
           "unrelated_abstain", "span_hit", "ece")


def row(label: str, m: dict) -> str:
    cells = ["-" if m[c] is None else str(m[c]) if isinstance(m[c], int) else f"{m[c]:.2f}" for c in COLUMNS]
    return f"| {label} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reader", action="store_const", const=ReaderConfig(), default=None,
                        help="with the shipped reader on")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, corpus_config = dev_sets()
    corpus = engine_for(corpus_config, BACKENDS[0], "corpus", args.reader)
    print("| set | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    outcomes = {"alone": [], "corpus": []}
    figures = {}
    for name, (config, questions) in sets.items():
        items = load_questions(questions)
        alone = run_eval(engine_for(config, BACKENDS[0], name, args.reader), items)
        together = run_eval(corpus, items)
        outcomes["alone"] += alone
        outcomes["corpus"] += together
        figures[name] = {"alone": metrics(alone), "corpus": metrics(together)}
        print(row(f"{name} alone", figures[name]["alone"]))
        print(row(f"{name} in corpus", figures[name]["corpus"]))
    for run, out in outcomes.items():
        figures[f"all {run}"] = metrics(out)
        print(row(f"**all, {run}**", figures[f"all {run}"]))
    print("\nper language (language of the question), alone / in corpus:")
    for lang, m in by_language(outcomes["alone"]).items():
        c = by_language(outcomes["corpus"])[lang]
        print(f"| {lang} | {m['n_on']} + {m['n_off']} | {m['top1']:.2f} / {c['top1']:.2f} | {m['top3']:.2f} / "
              f"{c['top3']:.2f} | {m['false_abstain']:.2f} / {c['false_abstain']:.2f} | {m['abstain_recall']:.2f} / "
              f"{c['abstain_recall']:.2f} |")
    print("\nreliability, every set alone (confidence shown → share right):")
    for b, n, share in reliability(outcomes["alone"]):
        print(f"| {b} | {n} | {'-' if share is None else f'{share:.2f}'} |")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
