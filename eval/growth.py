"""The growth table of docs/quality.md: every dev question asked in the dev articles as one library, padded
with N distractor articles made from ../shared/qa-data (read at run time, never copied here).

    .venv/bin/python eval/growth.py [--sizes 0,50,200,400] [--data ../shared/qa-data] [--set KEY=VALUE ...]
                                    [--json] [--misses N]

``--set article_weight=0`` (any ``retrieval`` key, repeatable) measures a variant: what one step of the
ranking buys as the library grows. The distractors' vectors are cached in ``eval/.cache/growth/`` (git-ignored):
the first run embeds about 8,000 sentences (several minutes on two cores), later runs none.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import random
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from devsets import HERE, dev_sets, set_articles

from bot.config import load_config
from bot.corpus.questions import load_questions
from bot.devtools.growth import growth

COLUMNS = ("top1", "top3", "false_abstain", "trap_abstain", "unrelated_abstain")


def dated(scenario: str, dev: set[str]) -> Callable[[str], str]:
    """When each article was added in ``scenario`` (see ``--dates``), relative to now; seeded."""
    now = time.time()
    order = sorted(dev)
    random.Random(7).shuffle(order)
    ages: dict[str, float] = {}

    def added(art_id: str) -> str:
        if art_id not in ages:
            if scenario == "news":
                n = int(art_id.split("-")[1]) if art_id.startswith("distractor-") else None
                ages[art_id] = 10 + n if n is not None else order.index(art_id) + 0.5
            else:
                ages[art_id] = random.Random(f"{art_id}").uniform(0, 410)
        return dt.datetime.fromtimestamp(now - ages[art_id] * 86_400, dt.UTC).isoformat(timespec="seconds")

    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,50,200,400")
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "qa-data")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache" / "growth")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a retrieval setting for this run (YAML value), e.g. article_weight=0")
    parser.add_argument("--misses", type=int, default=0, help="print up to N questions answered from a distractor")
    parser.add_argument("--dates", choices=("news", "shuffled"),
                        help="give every article an added_at: 'news': the dev articles added in the last ten days, "
                             "the distractors one a day before them (questions about what is new); 'shuffled': "
                             "every article at a random day (questions about any of them, whenever added)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, corpus_config = dev_sets()
    items = [item for _, questions in sets.values() for item in load_questions(questions)]
    config = load_config(corpus_config)
    overrides = {k: yaml.safe_load(v) for k, v in (s.split("=", 1) for s in args.set)}
    config = dataclasses.replace(config, retrieval=dataclasses.replace(config.retrieval, **overrides))
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"{len(items)} questions of {len(sets)} sets; settings: {overrides or 'shipped'}")
    print("| extra articles | articles | sentences | " + " | ".join(COLUMNS) + " | unrelated answered without a hedge "
          "| p50 ms |")
    print("|---|---|---|" + "---|" * len(COLUMNS) + "---|---|")
    rows = []
    added = None if args.dates is None else dated(args.dates, set(set_articles(corpus_config)))
    for row in growth(config, items, [int(s) for s in args.sizes.split(",")], args.data, args.cache, added=added):
        cells = ["-" if row.figures[c] is None else f"{row.figures[c]:.3f}" for c in COLUMNS]
        unrelated = [o for o in row.outcomes if not o.item.gold and not o.item.trap]
        bold = sum(o.tier == "answer" for o in unrelated) / len(unrelated) if unrelated else 0.0
        print(f"| {row.distractors} | {row.articles} | {row.sentences} | " + " | ".join(cells)
              + f" | {bold:.3f} | {row.p50_ms} |", flush=True)
        rows.append(row.to_json())
        strays = [o for o in row.outcomes if o.sentence_id and o.sentence_id.startswith("distractor-")
                  and not o.abstained]
        if strays:
            print(f"    answered from a distractor: {len(strays)} "
                  f"({sum(1 for o in strays if o.item.gold)} on-topic, {sum(1 for o in strays if not o.item.gold)} "
                  "off-topic)")
        for o in strays[: args.misses]:
            print(f"      {o.item.q!r} → {o.sentence_id} ({o.tier}, {o.confidence:.2f}): {o.answer[:100]!r}")
    if args.json:
        print(json.dumps({"settings": overrides, "growth": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
