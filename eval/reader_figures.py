"""The reader on held-out qa-data articles, against today's engine on the same questions: docs/research.md.

    .venv/bin/python eval/reader_figures.py [--limit N] [--json]

The held-out articles of ``eval/qa_data.py`` (never trained on) become bot articles, one file per
article (its paragraphs as paragraphs), in one corpus per language. Every question is asked of its
own article (``article=``), as a user would, three ways:

- ``engine``: the engine without the reader (``retrieval.reader: null``, its shipped calibration);
- ``engine + reader``: the engine as shipped;
- ``reader alone``: the reader given the question's own paragraph (the SQuAD protocol, no retrieval),
  from ``bot/reader/weights/reader.json`` (``eval/train_reader.py`` measured it on the same items).

Figures, per language: ``sentence``: the first sentence quoted holds the answer (answerable
questions); ``auc``: P(covered) (the reader alone: its has-answer score) of answerable questions
against SQuAD 2.0's unanswerable ones (English and Spanish; PIAF has none); ``em`` / ``f1`` of the
short answer against the gold answers, SQuAD's normalisation (the engine's highlighted span, or its
whole sentence when it highlights none; an abstention scores 0).
"""

from __future__ import annotations

import bot  # noqa: F401  first: bot/kernels.py pins the AVX2 code paths before numpy loads

# isort: split

import argparse
import dataclasses
import json
import logging
import sys
import tempfile
from pathlib import Path

import numpy as np
import qa_data
from reader_scores import DATA, articles, auc, exact_match, f1_score

from bot.config import load_config
from bot.qa.engine import Engine
from bot.reader.weights import SHIPPED, load_weights


def write_corpus(folder: Path, arts: list[qa_data.Article]) -> dict[str, tuple[str, list[int]]]:
    """One article file per held-out article; returns its id and each paragraph's offset in the file."""
    (folder / "articles").mkdir(parents=True)
    out = {}
    for n, art in enumerate(arts):
        art_id = f"{art.lang}-{n:02d}.{art.lang}"
        offsets, text = [], art.title + "\n\n"
        for p in art.paragraphs:
            offsets.append(len(text))
            text += p.context.replace("\n", " ") + "\n\n"
        (folder / "articles" / f"{art_id}.txt").write_text(text, encoding="utf-8")
        (folder / "articles" / f"{art_id}.yaml").write_text(
            json.dumps({"title": art.title, "language": art.lang}), encoding="utf-8")
        out[art.key + "|" + art.lang] = (art_id, offsets)
    return out


def ask_all(engine: Engine, arts: list[qa_data.Article], ids: dict, limit: int | None) -> dict:
    sentence, em, f1, pos, neg = [], [], [], [], []
    for art in arts:
        art_id, offsets = ids[art.key + "|" + art.lang]
        for q in art.questions[:limit]:
            answer = engine.ask(q.text, k=1, article=art_id)
            (pos if not q.impossible else neg).append(answer.coverage)
            if q.impossible:
                continue
            gold = [(t, offsets[q.paragraph] + start) for t, start in q.answers]
            s = answer.passage.sentence if answer.passage and not answer.abstained else None
            sentence.append(s is not None and any(s.start <= g < s.end for _, g in gold))
            predicted = "" if s is None else (answer.span_text or s.text)
            em.append(max(exact_match(predicted, t) for t, _ in gold))
            f1.append(max(f1_score(predicted, t) for t, _ in gold))
    return {"n": len(sentence), "sentence": _mean(sentence), "auc": auc(pos, neg), "em": _mean(em),
            "f1": _mean(f1)}


def _mean(xs: list) -> float | None:
    return round(float(np.mean(xs)), 4) if xs else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="questions per article (all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    arts = articles(args.data)
    held = qa_data.held_out_keys(arts)
    test = [a for a in arts if a.key in held]
    _, manifest = load_weights(SHIPPED)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("en", "es", "fr"):
            mine = [a for a in test if a.lang == lang]
            folder = Path(tmp) / lang
            ids = write_corpus(folder, mine)
            (folder / "config.yaml").write_text("articles_dir: articles\nindex_dir: index\n", encoding="utf-8")
            cfg = load_config(folder / "config.yaml")
            with_reader = Engine(cfg)
            without = Engine(dataclasses.replace(cfg, retrieval=dataclasses.replace(cfg.retrieval, reader=None)))
            alone = manifest["held_out"][lang]
            rows[lang] = {
                "engine": ask_all(without, mine, ids, args.limit),
                "engine + reader": ask_all(with_reader, mine, ids, args.limit),
                "reader alone": {"n": alone["n"], "sentence": alone["sentence_acc"], "auc": alone["auc_impossible"],
                                 "em": alone["em"], "f1": alone["f1"]},
            }
    print("| language | system | answerable | sentence | has-answer AUC | EM | F1 |")
    print("|---|---|---|---|---|---|---|")
    for lang, systems in rows.items():
        for name, m in systems.items():
            cells = ["-" if m[c] is None else f"{m[c]:.2f}" if c in ("sentence", "auc") else f"{100 * m[c]:.1f}"
                     for c in ("sentence", "auc", "em", "f1")]
            print(f"| {lang} | {name} | {m['n']} | " + " | ".join(cells) + " |")
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
