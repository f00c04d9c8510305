"""``article-bot bench --incremental`` and ``--feed``: the library's figures, each in a child process.

- ``--incremental N``: a library of N synthetic articles, one more added with the real encoders
  against the time to embed it alone, and the start-up on the unchanged library (see ``bench.py``);
- ``--feed``: the dev articles published as an RSS feed by the loopback page server (``pages.py``);
  the engine polls once and answers a dev question about each new article.
"""

from __future__ import annotations

import dataclasses
import html
import multiprocessing
import shutil
import tempfile
import time
from pathlib import Path

from aiohttp import web

from bot.config import Config, FeedConfig
from bot.corpus.article import Article
from bot.corpus.parse import load_articles, parse_article
from bot.corpus.questions import load_questions
from bot.devtools.pages import PageServer
from bot.devtools.synthetic import synthetic_corpus
from bot.errors import InputError
from bot.index.encoders import Encoder
from bot.index.maintenance import load_encoders
from bot.qa.engine import Engine


class StandIn:
    """The hashing encoder under another encoder's id and dimension (see ``--incremental``)."""

    def __init__(self, real: Encoder) -> None:
        from bot.index.encoders import HashingEncoder

        self.id, self.dim = real.id, real.dim
        self._hashing = HashingEncoder(real.dim, seed=7)
        self.encode_passages = self.encode_queries = self._hashing.encode_passages


def incremental_child(config: Config, n: int, sentences: list[str], out: multiprocessing.Queue) -> None:
    """``--incremental N``: one add to a library of N synthetic articles, and start-up on it."""
    from bot.corpus.parse import parse_article
    from bot.index.embed import embed
    from bot.index.maintenance import ensure_index
    from bot.index.plan import embedding_key, wanted_views
    from bot.library.store import add

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthetic_corpus(root / "articles", sentences, n * 30, per_article=30, seed=1)
        cfg = dataclasses.replace(config, articles_dir=root / "articles", index_dir=root / "index")
        real = load_encoders(cfg)
        start = time.perf_counter()
        ensure_index(cfg, {role: StandIn(enc) for role, enc in real.items()})
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


def article_page(art: Article) -> str:
    """An article as a plain web page (its title in <title> and <h1>, one <p> per paragraph)."""
    paras: dict[int, list[str]] = {}
    for sent in art.sentences:
        paras.setdefault(sent.paragraph, []).append(sent.text)
    body = "".join(f"<p>{html.escape(' '.join(p))}</p>" for p in paras.values())
    return (f"<html><head><title>{html.escape(art.title)}</title></head><body><article>"
            f"<h1>{html.escape(art.title)}</h1>{body}</article></body></html>")


@dataclasses.dataclass
class FeedSite:
    """The dev articles as pages of ``server`` and an RSS feed of some of them at ``/feed.rss``, with an
    ETag of its content (publishing changes it; an unchanged feed answers 304)."""

    server: PageServer
    items: list[str] = dataclasses.field(default_factory=list)   # every <item>, in publishing order
    questions: dict[str, str] = dataclasses.field(default_factory=dict)  # page URL -> a dev question
    published: int = 0

    def add(self, art: Article, question: str) -> None:
        url = self.server.page(f"/news/{art.id}", article_page(art))
        self.items.append(f"<item><guid>{art.id}</guid><link>{url}</link><title>{html.escape(art.title)}</title></item>")
        self.questions[url] = question

    def rss(self) -> bytes:
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>dev articles</title>'
                f"<link>{self.server.url('/')}</link><description>bench</description>"
                + "".join(self.items[: self.published]) + "</channel></rss>").encode()

    async def feed(self, request: web.Request) -> web.Response:
        body = self.rss()
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": etag})


def dev_set_folders(root: Path) -> list[Path]:
    """The dev sets under ``root``: folders holding ``questions.yaml`` and one article; InputError if none."""
    folders = [p.parent for p in sorted(root.glob("*/questions.yaml"))
               if len(list(load_articles(p.parent / "articles"))) == 1] if root.is_dir() else []
    if not folders:
        raise InputError(f"--feed needs dev sets: folders of {root} holding questions.yaml and one article "
                         "(give another with --questions)")
    return folders


def dev_sites(root: Path, site: FeedSite) -> None:
    """Every dev set under ``root`` onto ``site``: its article as a page, its first on-topic question."""
    for folder in dev_set_folders(root):
        art = parse_article(next(iter(load_articles(folder / "articles"))).path)
        site.add(art, next(i.q for i in load_questions(folder / "questions.yaml") if i.gold))


def timed_poll(engine: Engine, site: FeedSite, name: str) -> tuple[dict, int]:
    """One poll of the feed as published now, and a question about each article it added."""
    start = time.perf_counter()
    report = engine.poll_feeds()
    poll_s = time.perf_counter() - start
    first, hits = None, 0
    for added in report.added:
        answer = engine.ask(site.questions[added.url])
        first = first or time.perf_counter() - start
        hits += answer.passage is not None and answer.passage.sentence.article == added.id
    return {f"feed_{name}_added": len(report.added), f"feed_{name}_sentences": sum(a.sentences for a in report.added),
            f"feed_{name}_poll_s": round(poll_s, 2), f"feed_{name}_poll_to_answer_s": round(first or 0.0, 2)}, hits


def feed_child(config: Config, root: Path, out: multiprocessing.Queue) -> None:
    """``--feed``: one new article in a first poll, the rest in a second, then a third poll (304). Times:
    the poll (feed, pages, extraction, embedding, index saved, engine swapped) and poll start → the
    first answer from a new article."""
    with PageServer() as server, tempfile.TemporaryDirectory() as tmp:
        site = FeedSite(server)
        dev_sites(root, site)
        server.handle("/feed.rss", site.feed)
        shutil.copytree(config.articles_dir, Path(tmp) / "articles")
        cfg = dataclasses.replace(
            config, articles_dir=Path(tmp) / "articles", index_dir=Path(tmp) / "index",
            fetch=dataclasses.replace(config.fetch, allow_private_hosts=True),
            feeds=(FeedConfig(server.url("/feed.rss")),),
            feed_polling=dataclasses.replace(config.feed_polling, state=str(Path(tmp) / "feeds.json")))
        engine = Engine(cfg)
        engine.ask(next(iter(site.questions.values())))  # warm the encoders before timing
        figures: dict = {}
        hits = 0
        for name, published in (("one", 1), ("all", len(site.items))):
            site.published = published
            got, hit = timed_poll(engine, site, name)
            figures, hits = figures | got, hits + hit
        start = time.perf_counter()
        engine.poll_feeds()
        repoll_s = time.perf_counter() - start
    out.put(figures | {"feed_answered_from_new": hits, "feed_repoll_304_s": round(repoll_s, 3)})
