"""Questions asked in a thread (or a reply) about an article: answered from that article first, and from the
others when it does not cover the question or only hedges while another article answers it plainly
(``Engine.ask``, ``Route.FALLBACK``).

    .venv/bin/python eval/threads.py [--json]

Every dev question (all sets, the ten dev articles as one library) is asked three ways: with no conversation;
in a thread about its own article; and in a thread about another article (the next dev article by id), as when
someone asks about one story under the announcement of another. Figures: top-1 on the answerable questions,
false abstention on them, the routes taken, and the share of off-topic questions refused.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter

from devsets import BACKENDS, dev_sets, engine_for, set_articles

from bot.corpus.questions import Item, load_questions, norm
from bot.qa.answer import Answer
from bot.qa.engine import Conversation


def right(answer: Answer, item: Item) -> bool:
    return not answer.abstained and answer.passage is not None and any(
        norm(g) in norm(answer.passage.sentence.text) for g in item.gold)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, corpus = dev_sets()
    engine = engine_for(corpus, BACKENDS[0], "corpus")
    ids = engine.article_ids()
    items: list[tuple[Item, str]] = []
    for config, questions in sets.values():
        own = next(a for a in set_articles(config) if a in ids)
        items += [(item, own) for item in load_questions(questions)]
    on = [(i, a) for i, a in items if i.gold]
    off = [(i, a) for i, a in items if not i.gold]
    ways = {"no conversation": lambda art: None,
            "in a thread about its article": lambda art: Conversation(art),
            "in a thread about another article": lambda art: Conversation(ids[(ids.index(art) + 1) % len(ids)])}
    rows = {}
    for label, conversation in ways.items():
        answers = [engine.ask(i.q, conversation=conversation(a)) for i, a in on]
        refused = [engine.ask(i.q, conversation=conversation(a)).abstained for i, a in off]
        rows[label] = {"top1": round(sum(right(x, i) for x, (i, _) in zip(answers, on, strict=True)) / len(on), 3),
                       "false_abstain": round(sum(x.abstained for x in answers) / len(on), 3),
                       "off_topic_refused": round(sum(refused) / len(off), 3),
                       "routes": dict(Counter(str(x.route) for x in answers))}
    print(f"{len(on)} answerable and {len(off)} off-topic dev questions, {len(ids)} articles as one library")
    print("| asked | top-1 | false abstain | off-topic refused | routes |")
    print("|---|---|---|---|---|")
    for label, r in rows.items():
        routes = ", ".join(f"{k} {v}" for k, v in sorted(r["routes"].items()))
        print(f"| {label} | {r['top1']:.3f} | {r['false_abstain']:.3f} | {r['off_topic_refused']:.3f} | {routes} |")
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
