"""Follow-up questions (``eval/followups/questions.yaml``, written blind): the rule that reads a follow-up with
the previous question, measured before → after, and the rules it was chosen among.

    .venv/bin/python eval/followups.py [--json] [--misses]

Every pair is asked in the dev articles as one library, three ways:

- ``alone, no context``: the follow-up asked by itself, every article searched (what a question in a channel
  got before conversations);
- ``in its conversation``: as in a thread under the previous answer, or in a reply to it: the conversation's
  article first (the previous question's article), the rest when it does not cover it (``Engine.ask`` with a
  ``Conversation``), with each follow-up rule: ``never`` (read alone), ``always`` (read with the previous
  question), ``refers back`` (a pronoun or an opener: "and", "et"...), ``at most N words`` (content words),
  and the shipped rule (``bot/retrieval/followup.py``: at most ``BARE_WORDS`` content words, none of them a
  word the conversation's article lacks and another article holds); each with the previous question
  weighing ``--weights`` beside the follow-up (``PREVIOUS_WEIGHT``).

Figures: top-1 on the pairs whose follow-up names no subject of its own (``bare``), on those that do
(``own_subject``), on both, and abstention on the near-topic traps (``off_topic``). The rules read the
follow-up's text (and the shipped one the library's words) only; the pairs' ``kind`` is used for scoring,
never by a rule.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
from collections.abc import Callable, Iterator

import yaml
from devsets import BACKENDS, HERE, dev_sets, engine_for

import bot.qa.engine as engine_module
from bot.corpus.questions import norm
from bot.corpus.text import fold, words
from bot.qa.engine import Conversation
from bot.retrieval import followup
from bot.retrieval.lexical import question_words

FILE = HERE / "followups" / "questions.yaml"


#: Words that point back to something said before (folded: lower case, no accents), in EN/FR/ES/DE; words a
#: follow-up opens with; two-word openers. Measured as a rule, not shipped (it lost to the word count).
BACK_REFERENCES = frozenset("""
it its they them their theirs this that these those he him his she her
il elle ils elles ca cela celui celle ceux celles lui leur leurs son sa ses
ella ellos ellas eso esto ese esa su sus
er sie es ihn ihm ihr ihre dies diese
""".split())
OPENERS = frozenset("and also but so plus then et aussi mais alors puis donc y tambien pero und auch aber".split())
OPENING_PAIRS = frozenset({("what", "about"), ("how", "about"), ("et", "pour"), ("and", "for")})


def refers_back(q: str) -> bool:
    tokens = [fold(w) for w in words(q)]
    return bool(tokens) and (tokens[0] in OPENERS or tuple(tokens[:2]) in OPENING_PAIRS
                             or any(t in BACK_REFERENCES for t in tokens))


RULES: dict[str, Callable[[str], bool]] = {
    "never": lambda q: False,
    "always": lambda q: True,
    "refers back": refers_back,
    "at most 1 word": lambda q: len(question_words(q)) <= 1,
    "at most 2 words": lambda q: len(question_words(q)) <= 2,
    "refers back or at most 2 words": lambda q: refers_back(q) or len(question_words(q)) <= 2,
    "at most 2 words, none another article's (shipped)": None,  # the engine's own rule, not replaced
}


@contextlib.contextmanager
def rule(decide: Callable[[str], bool] | None) -> Iterator[None]:
    """The engine's follow-up rule replaced by ``decide`` for the duration (this script's variants; None: the
    engine's own)."""
    if decide is None:
        yield
        return
    shipped = engine_module.read_with
    engine_module.read_with = lambda q, previous, elsewhere=None: previous if decide(q) else None
    try:
        yield
    finally:
        engine_module.read_with = shipped


def right(a, item: dict) -> bool:
    return not a.abstained and a.passage is not None and any(norm(g) in norm(a.passage.sentence.text)
                                                            for g in item["gold"])


def score(answers: list, items: list[dict]) -> dict:
    out = {}
    for kind in ("bare", "own_subject"):
        pairs = [(a, i) for a, i in zip(answers, items, strict=True) if i["kind"] == kind]
        out[f"top1_{kind}"] = round(sum(right(a, i) for a, i in pairs) / len(pairs), 3)
    on = [(a, i) for a, i in zip(answers, items, strict=True) if i["gold"]]
    out["top1_all"] = round(sum(right(a, i) for a, i in on) / len(on), 3)
    traps = [a for a, i in zip(answers, items, strict=True) if not i["gold"]]
    out["trap_abstain"] = round(sum(a.abstained for a in traps) / len(traps), 3)
    out["false_abstain"] = round(sum(a.abstained for a, _ in on) / len(on), 3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="the shipped rule's wrong answers, one line each")
    parser.add_argument("--weights", type=lambda t: [float(v) for v in t.split(",")], default=[0.25, 0.5, 1.0],
                        help="the previous question's weights to try (followup.PREVIOUS_WEIGHT)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    items = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    _, corpus_config = dev_sets()
    engine = engine_for(corpus_config, BACKENDS[0], "corpus")
    counts = {k: sum(i["kind"] == k for i in items) for k in ("bare", "own_subject", "off_topic")}
    print(f"{len(items)} pairs ({counts}); rule decisions are made on the follow-up's text only")
    rows = {"alone, no context": score([engine.ask(i["q"]) for i in items], items)}
    shipped_weight = followup.PREVIOUS_WEIGHT
    for weight, (name, decide) in [(w, r) for w in args.weights for r in RULES.items()
                                   if r[0] != "never" or w == args.weights[0]]:
        label = f"in its conversation, {name}" + ("" if name == "never" else f", weight {weight}")
        followup.PREVIOUS_WEIGHT = weight
        with rule(decide):
            answers = [engine.ask(i["q"], conversation=Conversation(i.get("previous_article", i["article"]),
                                                                    i["previous"])) for i in items]
        followup.PREVIOUS_WEIGHT = shipped_weight
        rows[label] = score(answers, items)
        rows[label]["read_with_previous"] = {k: sum(a.read_with is not None for a, i in zip(answers, items, strict=True)
                                                    if i["kind"] == k) for k in counts}
        if name.endswith("(shipped)") and weight == shipped_weight and args.misses:
            for a, i in zip(answers, items, strict=True):
                if i["gold"] and not right(a, i):
                    print(f"  [{i['kind']}] {i['previous']!r} → {i['q']!r}: {a.route}, "
                          f"{a.passage.sentence.id if a.passage else None} {a.tier}")
    print("| setting | top-1 bare | top-1 own subject | top-1 all | trap abstain | false abstain | read with previous "
          "(bare / own / trap) |")
    print("|---|---|---|---|---|---|---|")
    for name, m in rows.items():
        fired = m.get("read_with_previous")
        said = f"{fired['bare']} / {fired['own_subject']} / {fired['off_topic']}" if fired else "-"
        print(f"| {name} | {m['top1_bare']:.3f} | {m['top1_own_subject']:.3f} | {m['top1_all']:.3f} | "
              f"{m['trap_abstain']:.2f} | {m['false_abstain']:.3f} | {said} |")
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
