"""Quality as the library grows: a question file asked in the configured articles padded with N distractors.

``article-bot eval QUESTIONS --distractors 0,50,200,400 --distractor-data DIR`` builds, for each N, a
library of the configured articles plus the first N distractor articles (``distractors.py``), indexes it
with the configured encoders, and asks every question as ``eval`` does: top-1, top-3, abstention
(false, traps, unrelated) and the ask latency, one row per N.

Embedding is the slow part (about 20 sentences a second on two cores, so 400 distractors take minutes),
so every article's vectors are kept in ``<cache>/embeddings/`` and each N's index starts from them: a
second run, or a larger N after a smaller one, embeds only what it has not seen. Without
``--distractor-cache`` the cache is a scratch folder, deleted at the end.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import Config
from bot.corpus.article import article_files
from bot.corpus.questions import Item
from bot.devtools.distractors import distractors
from bot.index.store import EMBEDDINGS
from bot.qa.engine import Engine
from bot.qa.evaluate import Outcome, metrics, run_eval

#: When an article (by id) was added, as its sidecar's ``added_at`` says it (None: not said).
AddedAt = Callable[[str], str | None]


@dataclass(frozen=True)
class Growth:
    """One row of the table: the library with ``distractors`` more articles, and the figures there."""

    distractors: int
    articles: int
    sentences: int
    figures: dict
    p50_ms: float
    p90_ms: float
    outcomes: tuple[Outcome, ...]

    def to_json(self) -> dict:
        return {"distractors": self.distractors, "articles": self.articles, "sentences": self.sentences,
                **self.figures, "p50_ms": self.p50_ms, "p90_ms": self.p90_ms}


def _link_all(source: Path, target: Path) -> None:
    """Hard-link every file of ``source`` into ``target`` that ``target`` lacks (a copy across devices)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*") if source.is_dir() else ():
        dest = target / path.name
        if not dest.exists():
            try:
                os.link(path, dest)
            except OSError:
                dest.write_bytes(path.read_bytes())


def library(config: Config, n: int, data: Path, cache: Path, added: AddedAt | None = None,
            pool: str = "eval") -> Config:
    """``config`` over its own articles plus the first ``n`` distractors: a folder of links in ``cache``,
    and an index there seeded with every vector embedded before. ``added``: when each article was added
    (article id → an ISO time, or None), written into copies of their sidecars; without it the sidecars
    are links to the originals. ``pool``: which distractors (``distractors._pool``)."""
    folder = cache / (f"library-{n}" + ("" if pool == "eval" else f"-{pool}") + ("" if added is None else "-dated"))
    articles, pad = folder / "articles", cache / "distractors"
    articles.mkdir(parents=True, exist_ok=True)
    pad.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, Path] = {}
    for path in article_files(config.articles_dir):
        for f in (path, path.with_suffix(".yaml")):
            if f.is_file():
                wanted[f.name] = f.resolve()
    for d in distractors(data, n, pool):
        d.write(pad)
        for f in (pad / f"{d.id}.txt", pad / f"{d.id}.yaml"):
            wanted[f.name] = f.resolve()
    for old in articles.iterdir():
        if old.name not in wanted:
            old.unlink()
    for name, source in wanted.items():
        target = articles / name
        if added is not None and name.endswith(".yaml"):
            meta = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
            meta.pop("added_at", None)
            when = added(name[: -len(".yaml")])
            meta.update({"added_at": when} if when else {})
            text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
            if target.is_symlink() or not target.is_file() or target.read_text(encoding="utf-8") != text:
                target.unlink(missing_ok=True)
                target.write_text(text, encoding="utf-8")
        elif not target.is_symlink():
            target.unlink(missing_ok=True)
            target.symlink_to(source)
    _link_all(cache / EMBEDDINGS, folder / "index" / EMBEDDINGS)
    return dataclasses.replace(config, articles_dir=articles, index_dir=folder / "index", feeds=())


def growth(config: Config, items: list[Item], sizes: list[int], data: Path, cache: Path | None = None,
           engine_for: Callable[[Config], Engine] = Engine, added: AddedAt | None = None) -> Iterator[Growth]:
    """One :class:`Growth` per size in ``sizes`` (smallest first), as each is measured (``added``: see
    :func:`library`)."""
    with tempfile.TemporaryDirectory(prefix="article-bot-growth-") as scratch:
        root = cache or Path(scratch)
        for n in sorted(set(sizes)):
            padded = library(config, n, data, root, added)
            engine = engine_for(padded)
            _link_all(padded.index_dir / EMBEDDINGS, root / EMBEDDINGS)
            outcomes = run_eval(engine, items)
            times = sorted(o.seconds * 1000 for o in outcomes)
            index = engine.index
            yield Growth(n, len(index.articles), len(index.rows), metrics(outcomes),
                         round(times[len(times) // 2], 1), round(times[int(len(times) * 0.9)], 1), tuple(outcomes))
