"""Second pass: relation evidence (the question's attribute words in the sentences that name its subject).

    PYTHONPATH=.:eval/trap_evidence .venv/bin/python eval/trap_evidence/ collect2.py   # merges into obs.json
"""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import numpy as np
import yaml

#: The observations collect.py writes and the fits read (the eval cache is git-ignored).
OBS_PATH = Path(__file__).resolve().parents[1] / ".cache" / "trap_evidence" / "obs.json"

from bot.answertype import Kind, expected_kind, find_spans, has_kind
from bot.engine import clean_question
from bot.evaluate import load_questions
from bot.evidence import SUBJECT_GROUNDING
from bot.text import fold
from collect import EVAL, engine_for


def relation(engine, item):
    r = engine.retriever
    text = clean_question(item.q, 1000)
    fused, q, c = r.score(text, article=item.article)
    order = np.lexsort((c.rows, -fused))
    t0 = time.perf_counter()
    top_row = int(c.rows[order[0]])
    art = r.rows[top_row].article
    aw = r.article_words
    g = [aw.grounding(art, w, q.nearest.get(w, [])) for w in q.words]
    names_of_art = aw.names.get(art, set())
    is_name = [gi >= SUBJECT_GROUNDING and fold(w) in names_of_art for w, gi in zip(q.words, g)]
    names = tuple(w for w, n in zip(q.words, is_name) if n)
    attrs = tuple(w for w, n in zip(q.words, is_name) if not n)
    nvecs = None if q.word_vecs is None else np.array([v for v, n in zip(q.word_vecs, is_name) if n])
    avecs = None if q.word_vecs is None else np.array([v for v, n in zip(q.word_vecs, is_name) if not n])
    if names:
        first, end = r.index.spans[art]
        cand = [i for i in range(first, end) if r.rows[i].answerable
                and all(f >= SUBJECT_GROUNDING for f in aw.in_sentence(r.rows[i].text, art, names, nvecs, r.vocab_vectors))]
    else:
        cand = [int(c.rows[i]) for i in order[:3] if r.rows[int(c.rows[i])].article == art]
    new = {"n_name_sents": float(len(cand)) if names else None, "has_names": float(bool(names))}
    if attrs and cand:
        scores = [aw.in_sentence(r.rows[i].text, art, attrs, avecs, r.vocab_vectors) for i in cand]
        new["attr_cover_min"] = float(max(min(s) for s in scores))
        new["attr_cover_mean"] = float(max(np.mean(s) for s in scores))
        top = aw.in_sentence(r.rows[top_row].text, art, attrs, avecs, r.vocab_vectors)
        new["attr_top_min"] = float(min(top))
        new["attr_top_mean"] = float(np.mean(top))
    expected = expected_kind(text)
    if expected is not Kind.OTHER:
        new["kind_in_name_sents"] = float(any(has_kind(find_spans(r.rows[i].text), expected) for i in cand)) \
            if cand else 0.0
    ms = (time.perf_counter() - t0) * 1000
    return new, ms, names, attrs


def main():
    logging.basicConfig(level=logging.WARNING)
    data = yaml.safe_load((EVAL / "devsets.yaml").read_text())
    sets = {name: (EVAL / s["config"], EVAL / s["questions"]) for name, s in data["sets"].items()}
    corpus = engine_for(EVAL / data["corpus"], "corpus")
    obs = json.loads(OBS_PATH.read_text())
    by = {(o["run"], o["group"], o["q"]): o for o in obs}
    for name, (config_path, questions) in sets.items():
        items = load_questions(questions)
        eng = engine_for(config_path, name)
        for run, e in (("single", eng), ("corpus", corpus)):
            for it in items:
                new, ms, names, attrs = relation(e, it)
                o = by[(run, it.article or name, it.q)]
                o["new"].update(new)
                o["ms"]["relation"] = ms
                o["names"], o["attrs"] = list(names), list(attrs)
        print(name, flush=True)
    OBS_PATH.write_text(json.dumps(obs, ensure_ascii=False))


if __name__ == "__main__":
    main()
