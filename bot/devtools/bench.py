"""``article-bot bench``: latency, its encoder floor, cold start, build throughput, memory, scale.

Figures, not pass/fail. Everything runs on this machine with the configured pipeline:

- warm ``ask`` latency over ``--asks`` questions (the project's dev questions, cycled) after a
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
  same work whatever the vectors hold.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

import numpy as np
import yaml

from bot.confidence.model import calibration_key, load_calibration
from bot.config import Config, EncoderConfig
from bot.corpus.parse import load_articles
from bot.corpus.questions import load_questions
from bot.errors import ArticleBotError
from bot.index.maintenance import load_encoders
from bot.qa.engine import Engine, Serving, answer, clean_question
from bot.retrieval.lexical import question_words
from bot.retrieval.rank import Retriever


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def dev_questions(config: Config) -> list[str]:
    """Every question of the question files under ``eval/`` beside the config (sorted, deduplicated)."""
    out: list[str] = []
    for path in sorted((config.path.parent / "eval").rglob("*.yaml")):
        try:
            out.extend(item.q for item in load_questions(path))
        except ArticleBotError:
            continue  # configs and sidecars live there too
    return list(dict.fromkeys(out)) or ["What is the article about?"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_asks(engine: Engine, questions: list[str], asks: int, other=None) -> tuple[list[float], list[float]]:
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


def without_reader(engine: Engine):
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


def real_sentences(config: Config) -> list[str]:
    """Prose sentences of the configured articles and of the articles under eval/."""
    folders = [config.articles_dir, *sorted(p.parent for p in (config.path.parent / "eval").rglob("*.txt"))]
    out: list[str] = []
    for folder in dict.fromkeys(folders):
        try:
            out.extend(s.text for a in load_articles(folder) for s in a.answerable)
        except ArticleBotError:
            continue
    return out


def synthetic_corpus(folder: Path, sentences: list[str], n: int, per_article: int = 40, seed: int = 0) -> None:
    """``n`` sentences recombined from real ones, in articles of 40 sentences, no two alike.

    Each sentence joins the start of one real sentence to the end of another, swaps a few words
    and redraws its numbers, so the corpus has the vocabulary and length of real news prose
    without thousands of near-identical copies (which would make nearest neighbours a coin toss).
    """
    rng = random.Random(seed)
    pool = [s.rstrip(".").split() for s in sentences if len(s.split()) >= 6]
    folder.mkdir(parents=True, exist_ok=True)
    made = number = 0
    while made < n:
        count = min(per_article, n - made)
        lines = []
        for _ in range(count):
            a, b = rng.choice(pool), rng.choice(pool)
            words = a[: rng.randrange(3, len(a))] + b[rng.randrange(1, len(b) - 2):]
            for _ in range(2):
                i, j = rng.randrange(len(words)), rng.randrange(len(words))
                words[i], words[j] = words[j], words[i]
            text = re.sub(r"\d+", lambda _: str(rng.randrange(1, 10000)), " ".join(words))
            lines.append(text[:1].upper() + text[1:] + ".")
        paragraphs = [" ".join(lines[i:i + 4]) for i in range(0, len(lines), 4)]
        (folder / f"synthetic-{number:05d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        made += count
        number += 1


def build_throughput(config: Config, sample: int) -> dict:
    """Sentences per second of a full index build with the real encoders (models already loaded): the
    views the config uses (``build_sents_per_s``), and every view, as builds did before the bare-sentence
    view became optional (``build_all_views_sents_per_s``), one after the other on the same sentences."""
    from bot.index.plan import wanted_views
    from bot.index.sentence_index import SentenceIndex

    encoders = load_encoders(config)
    used = wanted_views(encoders, bare_sentences=config.retrieval.sentence_weight > 0)
    every = wanted_views(encoders, bare_sentences=True)
    with tempfile.TemporaryDirectory() as tmp:
        synthetic_corpus(Path(tmp) / "articles", real_sentences(config), sample)
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


def _scale_child(config: Config, n: int, questions: list[str], out: multiprocessing.Queue) -> None:
    import faiss

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthetic_corpus(root / "articles", real_sentences(config), n)
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
            exact = faiss.IndexFlatIP(qv.shape[1])
            exact.add(index.views["dense.ctx"].reconstruct_n(0, index.views["dense.ctx"].ntotal))
            truth_scores, truth = exact.search(qv, 10)
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


def scale(config: Config, n: int, questions: list[str]) -> dict:
    return _in_child(_scale_child, config, n, questions)


def _in_child(target, *args) -> dict:
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
                raise ArticleBotError(f"the scale run failed (child exit code {child.exitcode}); "
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


class _StandIn:
    """The hashing encoder under another encoder's id and dimension (see ``--incremental``)."""

    def __init__(self, real) -> None:
        from bot.index.encoders import HashingEncoder

        self.id, self.dim = real.id, real.dim
        self._hashing = HashingEncoder(real.dim, seed=7)
        self.encode_passages = self.encode_queries = self._hashing.encode_passages


def _incremental_child(config: Config, n: int, out: multiprocessing.Queue) -> None:
    import dataclasses

    from bot.corpus.parse import parse_article
    from bot.index.embed import embed
    from bot.index.maintenance import ensure_index
    from bot.index.plan import embedding_key, wanted_views
    from bot.library.store import add

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sentences = real_sentences(config)
        synthetic_corpus(root / "articles", sentences, n * 30, per_article=30, seed=1)
        cfg = dataclasses.replace(config, articles_dir=root / "articles", index_dir=root / "index")
        real = load_encoders(cfg)
        start = time.perf_counter()
        ensure_index(cfg, {role: _StandIn(enc) for role, enc in real.items()})
        base_s = time.perf_counter() - start
        synthetic_corpus(root / "new", sentences, 30, per_article=30, seed=99)
        new = root / "new" / "synthetic-00000.txt"
        art = parse_article(new)
        views = wanted_views(real, bare_sentences=cfg.retrieval.sentence_weight > 0)
        for enc in real.values():  # first calls allocate: warm both encoders before timing
            enc.encode_passages([s.text for s in art.sentences[:4]])
        start = time.perf_counter()
        embed([(art, embedding_key(art, real, views))], real, views)
        if "topic" in real:
            real["topic"].encode_passages(sorted({w for s in art.sentences for w in s.text.lower().split()}))
        embed_s = time.perf_counter() - start
        start = time.perf_counter()
        index, _ = add(cfg, str(new), "new-article", encoders=real)
        add_s = time.perf_counter() - start
        start = time.perf_counter()
        ensure_index(cfg, real)
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        Engine(cfg)
        startup_s = time.perf_counter() - start
        out.put({"incr_articles": n + 1, "incr_sentences": len(index.rows), "incr_approximate": index.approximate,
                 "incr_base_build_s": round(base_s, 2), "incr_embed_s": round(embed_s, 3),
                 "incr_add_s": round(add_s, 3), "incr_add_budget_s": round(1.5 * embed_s + 1.0, 3),
                 "incr_load_s": round(load_s, 3), "incr_startup_s": round(startup_s, 3)})


def serve_pages(pages: dict[str, str], feed: list[str]):
    """A loopback HTTP server (127.0.0.1, a free port) on its own thread serving ``pages`` by path and the
    feed at ``/feed.rss`` (``feed[0]`` formatted with the server's base URL, with an ETag of its
    content: change ``feed[0]`` to publish). Returns (base URL, stop)."""
    import asyncio
    import threading

    from aiohttp import web

    loop = asyncio.new_event_loop()
    runner_box: list = []

    async def handler(request: web.Request) -> web.Response:
        if request.path == "/feed.rss":
            body = feed[0].format(base=base).encode()
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": etag})
        if request.path in pages:
            return web.Response(text=pages[request.path], content_type="text/html")
        return web.Response(status=404)

    async def start() -> int:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", handler)
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runner_box.append(runner)
        return runner.addresses[0][1]

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{asyncio.run_coroutine_threadsafe(start(), loop).result()}"

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(runner_box[0].cleanup(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()

    return base, stop


def article_page(art) -> str:
    """An article as a plain web page (its title in <title> and <h1>, one <p> per paragraph)."""
    import html

    paras: dict[int, list[str]] = {}
    for sent in art.sentences:
        paras.setdefault(sent.paragraph, []).append(sent.text)
    body = "".join(f"<p>{html.escape(' '.join(p))}</p>" for p in paras.values())
    return (f"<html><head><title>{html.escape(art.title)}</title></head><body><article>"
            f"<h1>{html.escape(art.title)}</h1>{body}</article></body></html>")


def _feed_child(config: Config, out: multiprocessing.Queue) -> None:
    """``--feed``: the dev articles under eval/ published as a feed on 127.0.0.1; one poll by the engine,
    then a question about each new article. Times: the poll (feed, pages, extraction, embedding, index
    saved, engine swapped), poll start → the first answer from a new article, and a second poll (304)."""
    import dataclasses
    import html
    import shutil

    from bot.config import FeedConfig
    from bot.corpus.parse import parse_article
    from bot.corpus.questions import load_questions

    sets = sorted(p.parent for p in (config.path.parent / "eval").glob("*/questions.yaml"))
    pages, items, questions = {}, [], {}
    for folder in sets:
        arts = list(load_articles(folder / "articles"))
        if len(arts) != 1:
            continue
        art = parse_article(arts[0].path)
        path = f"/news/{art.id}"
        pages[path] = article_page(art)
        items.append(f"<item><guid>{art.id}</guid><link>{{base}}{path}</link>"
                     f"<title>{html.escape(art.title)}</title></item>")
        questions[path] = next(i.q for i in load_questions(folder / "questions.yaml") if i.gold)
    def rss(some: list[str]) -> str:
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>dev articles</title><link>{base}/</link>'
                "<description>bench</description>" + "".join(some) + "</channel></rss>")

    feed = [rss(items[:1])]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(config.articles_dir, root / "articles")
        base, stop = serve_pages(pages, feed)
        try:
            cfg = dataclasses.replace(
                config, articles_dir=root / "articles", index_dir=root / "index",
                fetch=dataclasses.replace(config.fetch, allow_private_hosts=True),
                feeds=(FeedConfig(f"{base}/feed.rss"),),
                feed_polling=dataclasses.replace(config.feed_polling, state=str(root / "feeds.json")))
            engine = Engine(cfg)
            engine.ask(questions[next(iter(questions))])  # warm the encoders before timing
            figures: dict = {}
            hits = 0
            for name, published in (("one", items[:1]), ("all", items)):
                feed[0] = rss(published)
                start = time.perf_counter()
                report = engine.poll_feeds()
                poll_s = time.perf_counter() - start
                first = None
                for added in report.added:
                    answer = engine.ask(questions[added.url[len(base):]])
                    first = first or time.perf_counter() - start
                    hits += answer.passage is not None and answer.passage.sentence.article == added.id
                figures |= {f"feed_{name}_added": len(report.added),
                            f"feed_{name}_sentences": sum(a.sentences for a in report.added),
                            f"feed_{name}_poll_s": round(poll_s, 2),
                            f"feed_{name}_poll_to_answer_s": round(first or 0.0, 2)}
            start = time.perf_counter()
            engine.poll_feeds()
            repoll_s = time.perf_counter() - start
        finally:
            stop()
    out.put(figures | {"feed_answered_from_new": hits, "feed_repoll_304_s": round(repoll_s, 3)})


def run(config: Config, asks: int = 500, corpus_size: int | None = None, build_sample: int = 200,
        cold: bool = True, burst: bool = False, incremental: int | None = None, feed: bool = False) -> dict:
    questions = dev_questions(config)
    engine = Engine(config)
    figures: dict = {"questions": len(questions), "cpus": os.cpu_count()}
    figures.update(warm_latency(engine, questions, asks))
    if burst:
        from bot.devtools.burst import run_burst

        figures.update(run_burst(config, engine))
    if cold:
        figures.update(cold_start(config, questions[0]))
    if build_sample:
        figures.update(build_throughput(config, build_sample))
    figures.update(journal_cost())
    figures["rss_mb"] = round(rss_mb(), 1)
    if corpus_size:
        figures.update(scale(config, corpus_size, questions))
    if incremental:
        figures.update(_in_child(_incremental_child, config, incremental))
    if feed:
        figures.update(_in_child(_feed_child, config))
    return figures


def print_figures(figures: dict, as_json: bool) -> None:
    for key, value in figures.items():
        print(f"{key:24} {value}")
    if as_json:
        print(json.dumps(figures))
