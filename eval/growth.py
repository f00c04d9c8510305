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
import json
import logging
from pathlib import Path

import yaml
from devsets import HERE, dev_sets

from bot.config import load_config
from bot.corpus.questions import load_questions
from bot.devtools.growth import growth

COLUMNS = ("top1", "top3", "false_abstain", "trap_abstain", "unrelated_abstain")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,50,200,400")
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "qa-data")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache" / "growth")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a retrieval setting for this run (YAML value), e.g. article_weight=0")
    parser.add_argument("--misses", type=int, default=0, help="print up to N questions answered from a distractor")
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
    print("| extra articles | articles | sentences | " + " | ".join(COLUMNS) + " | p50 ms |")
    print("|---|---|---|" + "---|" * len(COLUMNS) + "---|")
    rows = []
    for row in growth(config, items, [int(s) for s in args.sizes.split(",")], args.data, args.cache):
        cells = ["-" if row.figures[c] is None else f"{row.figures[c]:.3f}" for c in COLUMNS]
        print(f"| {row.distractors} | {row.articles} | {row.sentences} | " + " | ".join(cells)
              + f" | {row.p50_ms} |", flush=True)
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
