"""How many candidates the reader reads, and how much the ranking weighs beside it: docs/research.md.

    .venv/bin/python eval/reader_tradeoff.py [--k 2,3] [--weights 0,2,5,1000] [--json]

For every ``k`` (sentences read per question) and ``fused_weight`` (the ranking's fused score next to
the reader's, when it reorders), every dev set is asked alone and in the corpus, with the reader's
readings cached (the weight changes the order, not what is read). For each pair: top-1 alone and in
the corpus, top-3 alone, and trap / unrelated abstention with false abstention held out (a
leave-one-article-out fit of the confidence, as ``fit_confidence.py`` makes it); for each ``k`` the
warm ``ask`` p50 on this machine with the real reader. The shipped ``k`` and weight are docs/research.md's
choice from this table (``bot/config/values.py``: ``ReaderConfig``).
"""

from __future__ import annotations

import bot  # noqa: F401  first: bot/kernels.py pins the AVX2 code paths before numpy loads

# isort: split

import argparse
import dataclasses
import json
import logging
import sys
import time

import numpy as np
from devsets import BACKENDS, dev_sets, engine_for

from bot.confidence.fit import calibrate, observe, operating_point
from bot.config import ReaderConfig
from bot.corpus.questions import load_questions
from bot.qa.engine import Engine, Serving, answer, clean_question
from bot.qa.evaluate import metrics, run_eval
from bot.reader import Passage, Reader
from bot.retrieval.rank import Retriever


class CachedReader:
    """The reader, remembering what it read: the same question and sentences are read once."""

    def __init__(self, reader: Reader) -> None:
        self.inner, self.id, self._seen, self.tokens = reader, reader.id, {}, []

    def read(self, question: str, passages: list[Passage]):
        key = (question, tuple(passages))
        if key not in self._seen:
            self._seen[key] = self.inner.read(question, passages)
            self.tokens.append(sum(len(f.ids) for _, f in self.inner.inputs(question, passages)))
        return self._seen[key]


@dataclasses.dataclass(frozen=True)
class Asker:
    """What ``run_eval`` and ``observe`` call: ``ask`` through one retriever and the calibration, the
    question cleaned as the engine cleans it; each question is answered once (ten passages) for both."""

    serving: Serving
    seen: dict = dataclasses.field(default_factory=dict)

    def ask(self, question: str, k: int = 3, article: str | None = None):
        if (question, article) not in self.seen:
            text = clean_question(question, self.serving.retriever.cfg.max_question_chars)
            self.seen[question, article] = answer(self.serving, text, k=10, article=article)
        return self.seen[question, article]


def with_reader(engine: Engine, reader, k: int, weight: float) -> Asker:
    """``engine``'s index, encoders and calibration, with a retriever for this ``k`` and weight that never
    abstains: top-1 here is the ranking's, whatever calibration is shipped (abstention is measured by the
    held-out refit)."""
    r = engine.retriever
    cfg = dataclasses.replace(r.cfg, reader=dataclasses.replace(r.cfg.reader, k=k, fused_weight=weight),
                              abstain_threshold=0.0)
    return Asker(Serving(r.index, Retriever(r.index, r.dense, r.topic, cfg, reader), engine.calibration))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", default="2,3")
    parser.add_argument("--weights", default="0,2,5,1000")
    parser.add_argument("--asks", type=int, default=150, help="timed asks per k")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    sets, corpus_config = dev_sets()
    alone = {name: engine_for(config, BACKENDS[0], name, ReaderConfig()) for name, (config, _) in sets.items()}
    corpus = engine_for(corpus_config, BACKENDS[0], "corpus", ReaderConfig())
    items = {name: load_questions(q) for name, (_, q) in sets.items()}
    reader = CachedReader(corpus.retriever.reader)
    questions = [i.q for its in items.values() for i in its]
    rows = []
    print("| k | fused_weight | tokens read (mean) | top-1 alone / corpus | top-3 alone | trap abstain | "
          "unrelated abstain | false abstain | p50 ms |\n|---|---|---|---|---|---|---|---|---|", flush=True)
    for k in (int(x) for x in args.k.split(",")):
        reader.tokens.clear()
        timed = with_reader(corpus, reader.inner, k, float(args.weights.split(",")[0]))
        times = []
        for q in questions[: args.asks]:
            start = time.perf_counter()
            timed.ask(q)
            times.append(1000 * (time.perf_counter() - start))
        for weight in (float(x) for x in args.weights.split(",")):
            out, obs = {"alone": [], "corpus": []}, []
            for name, its in items.items():
                e = with_reader(alone[name], reader, k, weight)
                c = with_reader(corpus, reader, k, weight)
                out["alone"] += run_eval(e, its)
                out["corpus"] += run_eval(c, its)
                obs += observe(e, its, name) + observe(c, its, name)
            _, held = calibrate(obs, "tradeoff", "")
            point = operating_point(held)
            a, c = metrics(out["alone"]), metrics(out["corpus"])
            f = held.figures(point)
            rows.append({"k": k, "fused_weight": weight, "tokens": round(float(np.mean(reader.tokens)), 1),
                         "top1_alone": a["top1"], "top1_corpus": c["top1"],
                         "top3_alone": a["top3"], "trap_abstain": f["trap_abstain"],
                         "unrelated_abstain": f["unrelated_abstain"], "false_abstain": f["false_abstain"],
                         "p50_ms": round(float(np.median(times)), 1)})
            r = rows[-1]
            print(f"| {k} | {weight:g} | {r['tokens']} | {r['top1_alone']:.3f} / {r['top1_corpus']:.3f} | "
                  f"{r['top3_alone']:.3f} | "
                  f"{r['trap_abstain']:.2f} | {r['unrelated_abstain']:.2f} | {r['false_abstain']:.3f} | "
                  f"{r['p50_ms']} |", flush=True)
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
