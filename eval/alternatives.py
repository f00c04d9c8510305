"""When two articles fit: how close another article's best passage must be for the bot to offer it
(``ALTERNATIVE_MARGIN`` in bot/qa/engine.py).

    .venv/bin/python eval/alternatives.py [--margins 0.01,0.02,0.03,0.05]

Every on-topic dev question is asked in the dev articles as one library. For each margin: how often the
answer comes with an offer of another article when its own article is the right one (noise a member has to
read past), and how often an answer from the wrong article comes with an offer of the right one (what the
offer is for).
"""

from __future__ import annotations

import argparse
import logging

from devsets import BACKENDS, dev_sets, engine_for, set_articles

from bot.corpus.questions import load_questions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--margins", default="0.005,0.01,0.02,0.03,0.05")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, corpus_config = dev_sets()
    corpus = engine_for(corpus_config, BACKENDS[0], "corpus")
    cases = []  # (gap to the runner-up article or None, first is the right article, runner-up is the right one)
    for config_path, questions in sets.values():
        own = set(set_articles(config_path))
        for item in load_questions(questions):
            if not item.gold:
                continue
            ranking = corpus.retriever.rank(item.q, k=3)
            other = ranking.runner_up
            gap = None if other is None else ranking.passages[0].score - other.score
            cases.append((gap, ranking.passages[0].sentence.article in own,
                          other is not None and other.sentence.article in own))
    right = [c for c in cases if c[1]]
    wrong_fixable = [c for c in cases if not c[1] and c[2]]
    print(f"{len(cases)} on-topic questions: {len(right)} answered from their article, "
          f"{sum(not c[1] for c in cases)} from another, {len(wrong_fixable)} of those with the right article second")
    print("| margin | offered when the article was right | right article offered when it was wrong |")
    print("|---|---|---|")
    for m in (float(v) for v in args.margins.split(",")):
        noise = sum(1 for g, *_ in right if g is not None and g <= m) / len(right)
        found = sum(1 for g, *_ in wrong_fixable if g is not None and g <= m) / max(1, len(wrong_fixable))
        print(f"| {m} | {noise:.3f} | {found:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
