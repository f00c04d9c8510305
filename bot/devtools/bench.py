"""``article-bot bench``: latency, its encoder floor, cold start, build throughput, memory, scale.

Figures, not pass/fail. Everything runs on this machine with the configured pipeline:

- warm ``ask`` latency over ``--asks`` questions (the dev questions of ``--questions``, default the
  repository's ``eval/`` beside the config; one generic question where there is none), cycled, after a
  warm-up: p50/p95/p99; the bare encoder calls the pipeline cannot avoid for the same questions
  (e5 for the question, USE for the question and its words): ``encoder_p50_ms``; ``ratio`` of the
  two medians; with the reader on, the same asks without it, interleaved with them in the same
  run (``no_reader_p50_ms``/``no_reader_p95_ms``: the ranking and confidence of before the
  reader, its own calibration), and ``reader_ratio`` of the two medians;
- cold start in a fresh process: ``article-bot ask`` with the index built (``cold_ask_s``) and
  with no index (``cold_build_s``);
- index build throughput with the real encoders on ``--build-sample`` sentences
  (``build_sents_per_s``) and this process's peak resident memory (``rss_mb``);
- ``--burst``: 500 questions from 50 users through the real bot on SimCord's in-memory Discord
  (needs the ``test`` extra): answers, cooldown notices, questions lost or answered twice, and the
  event loop's worst and p99 lag (``burst_loop_lag_worst_ms``, ``burst_loop_lag_p99_ms``);
- ``--corpus-size N``: a synthetic corpus of N sentences recombined from the real articles' text,
  indexed in a child process (its own peak memory) with the seeded hashing encoder at the real
  encoders' dimensions, because embedding 100,000 sentences with e5 on 2 cores takes hours
  (see ``build_sents_per_s``). It reports build time, RSS, lexical time, query p50/p99 of the
  pipeline around the encoders (add ``encoder_p50_ms`` for the full figure) and HNSW recall@10
  against exact search on the same queries;
- ``--incremental N``: a library of N synthetic articles of 30 sentences, then ``article-bot add``
  of one more 30-sentence article with the real encoders (``incr_add_s``) against the time to embed
  that article alone (``incr_embed_s``), and the start-up of an engine on the unchanged library
  (``incr_startup_s``; the index load alone: ``incr_load_s``). The library's vectors are made by the
  hashing encoder standing in under the real encoders' ids and dimensions (embedding 30,000
  sentences with e5 takes about 20 minutes here); what is timed, the update and the load, does the
  same work whatever the vectors hold;
- ``--feed``: the dev sets' articles published as an RSS feed on 127.0.0.1 (``library_bench.py``).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from queue import Empty

import numpy as np
import yaml

from bot.confidence.model import calibration_key, load_calibration
from bot.config import Config, EncoderConfig
from bot.corpus.parse import load_articles
from bot.devtools.library_bench import dev_set_folders, feed_child, incremental_child
from bot.devtools.synthetic import dev_questions, dev_root, real_sentences, synthetic_corpus
from bot.errors import ArticleBotError
from bot.index import ann
from bot.index.maintenance import load_encoders
from bot.qa.answer import Answer
from bot.qa.engine import Engine, Serving, answer, clean_question
from bot.retrieval.lexical import question_words
from bot.retrieval.rank import Retriever


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_asks(engine: Engine, questions: list[str], asks: int,
               other: Callable[[str], Answer] | None = None) -> tuple[list[float], list[float]]:
    """Milliseconds of ``asks`` warm asks, cycling ``questions``, after a warm-up; with ``other`` (a
    callable taking a question), the same asks through it, interleaved one for one."""
    for q in questions[:20]:
        engine.ask(q)
        if other is not None:
            other(q)
    times, others = [], []
    for i in range(asks):
        q = questions[i % len(questions)]
        start = time.perf_counter()
        engine.ask(q)
        times.append((time.perf_counter() - start) * 1000)
        if other is not None:
            start = time.perf_counter()
            other(q)
            others.append((time.perf_counter() - start) * 1000)
    return times, others


def without_reader(engine: Engine) -> Callable[[str], Answer]:
    """``ask`` as it was before the reader: the same index and encoders, no reader, the no-reader fit."""
    r = engine.retriever
    cfg = dataclasses.replace(r.cfg, reader=None)
    calibration = load_calibration(calibration_key(r.dense.id, r.topic.id if r.topic else None),
                                   engine.config.index_dir)
    plain = Serving(r.index, Retriever(r.index, r.dense, r.topic, cfg), calibration)
    return lambda q: answer(plain, clean_question(q, cfg.max_question_chars))


def encoder_times(engine: Engine, questions: list[str], asks: int) -> list[float]:
    """Milliseconds of the encoder calls an ask cannot avoid: e5 for the question, USE for it and its words."""
    dense, topic = engine.retriever.dense, engine.retriever.topic
    times = []
    for i in range(asks):
        q = questions[i % len(questions)]
        start = time.perf_counter()
        dense.encode_queries([q])
        if topic is not None:
            topic.encode_queries([q, *question_words(q)])
        times.append((time.perf_counter() - start) * 1000)
    return times


def warm_latency(engine: Engine, questions: list[str], asks: int) -> dict:
    reading = engine.retriever.reader is not None
    times, plain = timed_asks(engine, questions, asks, without_reader(engine) if reading else None)
    floor = encoder_times(engine, questions, asks)
    p50, floor50 = percentile(times, 50), percentile(floor, 50)
    out = {"asks": asks, "p50_ms": round(p50, 2), "p95_ms": round(percentile(times, 95), 2),
           "p99_ms": round(percentile(times, 99), 2), "encoder_p50_ms": round(floor50, 2),
           "ratio": round(p50 / floor50, 3)}
    if reading:
        out.update({"reader_k": engine.config.retrieval.reader.k,
                    "no_reader_p50_ms": round(percentile(plain, 50), 2),
                    "no_reader_p95_ms": round(percentile(plain, 95), 2),
                    "reader_ratio": round(p50 / percentile(plain, 50), 3)})
    return out


def cold_start(config: Config, question: str) -> dict:
    """Wall time of fresh `article-bot ask` processes: index present, then no index."""
    cmd = [sys.executable, "-m", "bot", "ask", question, "--json"]

    def timed(cfg_path: Path) -> float:
        start = time.perf_counter()
        subprocess.run([*cmd, "--config", str(cfg_path)], check=True, capture_output=True)
        return time.perf_counter() - start

    cold_ask = min(timed(config.path) for _ in range(3))
    with tempfile.TemporaryDirectory() as tmp:
        raw = dict(config.raw)
        raw["articles_dir"] = str(config.articles_dir)
        raw["index_dir"] = str(Path(tmp) / "index")
        cfg = Path(tmp) / "config.yaml"
        cfg.write_text(yaml.safe_dump(raw), encoding="utf-8")
        cold_build = timed(cfg)
    return {"cold_ask_s": round(cold_ask, 3), "cold_build_s": round(cold_build, 3)}


def build_throughput(config: Config, sample: int, sentences: list[str]) -> dict:
    """Sentences per second of a full index build with the real encoders (models already loaded): the
    views the config uses (``build_sents_per_s``), and every view, as builds did before the bare-sentence
    view became optional (``build_all_views_sents_per_s``), one after the other on the same sentences."""
    from bot.index.plan import wanted_views
    from bot.index.sentence_index import SentenceIndex

    encoders = load_encoders(config)
    used = wanted_views(encoders, bare_sentences=config.retrieval.sentence_weight > 0)
    every = wanted_views(encoders, bare_sentences=True)
    with tempfile.TemporaryDirectory() as tmp:
        synthetic_corpus(Path(tmp) / "articles", sentences, sample)
        articles = load_articles(Path(tmp) / "articles")
        seconds = {}
        for name, views in (("all", every), ("used", used)):
            start = time.perf_counter()
            index = SentenceIndex.build(articles, encoders, views=views)
            seconds[name] = time.perf_counter() - start
    n = len(index.rows)
    return {"build_sample": n, "build_s": round(seconds["used"], 2),
            "build_sents_per_s": round(n / seconds["used"], 1),
            "build_all_views_sents_per_s": round(n / seconds["all"], 1)}


def scale_child(config: Config, n: int, questions: list[str], sentences: list[str],
                out: multiprocessing.Queue) -> None:
    """``--corpus-size N``: the synthetic corpus indexed and asked in this (child) process."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthetic_corpus(root / "articles", sentences, n)
        retrieval = dataclasses.replace(config.retrieval, dense=EncoderConfig("hashing", "384"),
                                        topic=EncoderConfig("hashing", "512"))
        cfg = dataclasses.replace(config, articles_dir=root / "articles", index_dir=root / "index",
                                  retrieval=retrieval)
        start = time.perf_counter()
        engine = Engine(cfg)
        build_s = time.perf_counter() - start
        retriever = engine.retriever
        lexical_ms = []
        for q in questions[:100]:
            t = time.perf_counter()
            retriever.lexical.scores(retriever.lexical.terms(q))
            lexical_ms.append((time.perf_counter() - t) * 1000)
        times, _ = timed_asks(engine, questions, 300)
        enc_ms = encoder_times(engine, questions, 100)
        index = engine.index
        recall = recall_ties = None
        if index.approximate:
            qv = retriever.dense.encode_queries(questions[:200])
            exact = ann.flat(ann.all_vectors(index.views["dense.ctx"]))
            truth, truth_scores = ann.top(exact, qv, 10)
            got, got_scores = index.search("dense.ctx", qv, 10)
            recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, got, strict=True)]))
            # Recombined sentences make near-duplicates whose order is a coin toss: also count an
            # ANN hit as found when it scores as high as the exact 10th neighbour.
            recall_ties = float(np.mean(got_scores >= truth_scores[:, -1:] - 1e-5))
        out.put({
            "corpus_size": len(index.rows), "scale_build_s": round(build_s, 2),
            "scale_approximate": index.approximate,
            "scale_query_p50_ms": round(percentile(times, 50) - percentile(enc_ms, 50), 2),
            "scale_query_p99_ms": round(percentile(times, 99) - percentile(enc_ms, 50), 2),
            "scale_lexical_p50_ms": round(percentile(lexical_ms, 50), 2),
            "scale_recall_at_10": None if recall is None else round(recall, 4),
            "scale_recall_at_10_ties": None if recall_ties is None else round(recall_ties, 4),
            "scale_rss_mb": round(rss_mb(), 1),
        })


def in_child(target: Callable[..., None], *args: object) -> dict:
    """Run ``target(*args, queue)`` in a fresh process (its own memory) and return what it puts."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=target, args=(*args, queue))
    child.start()
    while True:
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            if not child.is_alive():
                raise ArticleBotError(f"the bench's child process failed (exit code {child.exitcode}); "
                                      "see the traceback above") from None
    child.join()
    return result


def journal_cost(n: int = 500) -> dict:
    """What journaling a question adds to each answer on Discord: p50/p99 of ``Journal.record`` (one
    SQLite insert in WAL mode on the one connection), measured on a fresh file."""
    from bot.discord.journal import Journal

    with tempfile.TemporaryDirectory() as tmp:
        journal = Journal(Path(tmp) / "journal.sqlite3", retention_days=90)
        journal.record("warm up", "answer", user_id=1)
        times = []
        for i in range(n):
            start = time.perf_counter()
            journal.record(f"question {i}", "answer", article="a", sentence_id=f"a#{i % 30}", confidence=0.8,
                           latency_ms=20.0, guild_id=1, user_id=i % 50)
            times.append((time.perf_counter() - start) * 1000)
        journal.close()
    return {"journal_record_p50_ms": round(percentile(times, 50), 3),
            "journal_record_p99_ms": round(percentile(times, 99), 3)}


#: Figures of one step, as it hands them over.
Figures = dict


def run(config: Config, asks: int = 500, corpus_size: int | None = None, build_sample: int = 200,
        cold: bool = True, burst: bool = False, incremental: int | None = None, feed: bool = False,
        questions_root: Path | None = None, on_step: Callable[[str, Figures, float], None] | None = None) -> Figures:
    """Every figure asked for (see the module docstring), step by step; ``on_step(what, figures, seconds)``
    is called as each step is measured (``article-bot bench`` prints them then). ``questions_root``: see
    ``synthetic.dev_root``."""
    root = dev_root(config, questions_root)
    if feed:
        dev_set_folders(root)  # refused before anything is timed, with its message
    questions = dev_questions(root)
    figures: Figures = {}

    def step(what: str, measure: Callable[[], Figures]) -> None:
        start = time.perf_counter()
        got = measure()
        figures.update(got)
        if on_step is not None:
            on_step(what, got, time.perf_counter() - start)

    step("setting", lambda: {"questions": len(questions), "cpus": os.cpu_count()})
    engine = Engine(config)
    step(f"warm latency ({asks} asks)", lambda: warm_latency(engine, questions, asks))
    if burst:
        from bot.devtools.burst import run_burst

        step("burst on SimCord", lambda: run_burst(config, engine))
    if cold:
        step("cold start", lambda: cold_start(config, questions[0]))
    if build_sample:
        step(f"build throughput ({build_sample} sentences)",
             lambda: build_throughput(config, build_sample, real_sentences(config, root)))
    step("journal", journal_cost)
    step("memory", lambda: {"rss_mb": round(rss_mb(), 1)})
    if corpus_size:
        step(f"scale ({corpus_size} sentences)",
             lambda: in_child(scale_child, config, corpus_size, questions, real_sentences(config, root)))
    if incremental:
        step(f"incremental ({incremental} articles)",
             lambda: in_child(incremental_child, config, incremental, real_sentences(config, root)))
    if feed:
        step("feed", lambda: in_child(feed_child, config, root))
    return figures


def print_figures(figures: Figures) -> None:
    """One line per figure, at once (a long run shows each step's figures as they come)."""
    for key, value in figures.items():
        print(f"{key:24} {value}", flush=True)
