"""The article model: :class:`Article` and its :class:`Sentence` values, the files they come from.

An article is a ``.txt``/``.md`` file (or a saved web page, ``.html``) in ``articles/``, with an
optional ``.yaml`` sidecar of metadata (``SIDECAR_KEYS``). Parsing is in ``parse.py``, web pages in
``extract.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import ArticleError, one_line

ARTICLE_SUFFIXES = (".txt", ".md")


#: Saved web pages: the article is extracted from them (bot/corpus/extract.py), the sidecar adds to or
#: overrides what the page says about itself.
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article with its position and offsets into the source file.

    ``id`` is stable: ``<article id>#<n>``, the n-th line of the article (1-based, noise lines
    included). It does not move when other articles are added or removed, so votes, ``--json`` and
    eval can keep it; where a sentence sits in the index is the index's business.
    """

    id: str                 # stable sentence id: "<article>#<n>"
    article: str
    paragraph: int          # 1-based paragraph number among prose paragraphs
    number: int             # 1-based sentence number within its paragraph
    start: int
    end: int
    text: str
    kind: str               # prose | question | noise

    @property
    def answerable(self) -> bool:
        return self.kind == "prose"


@dataclass(frozen=True)
class Article:
    """A cleaned article: metadata plus its sentences in reading order."""

    id: str
    path: Path
    title: str
    language: str
    sha256: str
    sentences: tuple[Sentence, ...]
    source: str | None = None
    url: str | None = None
    date: str | None = None
    meta: dict = field(default_factory=dict, compare=False)
    stamp: FileStamp | None = field(default=None, compare=False)

    @property
    def answerable(self) -> list[Sentence]:
        return [s for s in self.sentences if s.answerable]


def sentence_id(article: str, n: int) -> str:
    """The stable id of an article's n-th line (1-based)."""
    return f"{article}#{n}"


@dataclass(frozen=True)
class FileStamp:
    """What tells, without reading it, whether an article file (and its sidecar) changed."""

    name: str
    size: int
    mtime_ns: int
    sidecar: tuple[int, ...] | None = None  # the same four numbers for the .yaml sidecar, when there is one
    ctime_ns: int = 0   # changes with every write, chmod or rename, and no tool can set it back
    inode: int = 0      # (``cp -p`` or ``tar x`` restore mtime; they cannot restore these two)

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        st = path.stat()
        try:
            sst = path.with_suffix(".yaml").stat()
            sidecar = (sst.st_size, sst.st_mtime_ns, sst.st_ctime_ns, sst.st_ino)
        except OSError:
            sidecar = None
        return cls(path.name, st.st_size, st.st_mtime_ns, sidecar, st.st_ctime_ns, st.st_ino)

    def to_json(self) -> dict:
        return {"name": self.name, "size": self.size, "mtime_ns": self.mtime_ns, "ctime_ns": self.ctime_ns,
                "inode": self.inode, "sidecar": list(self.sidecar) if self.sidecar else None}

    @classmethod
    def from_json(cls, data: dict) -> FileStamp:
        side = data.get("sidecar")
        return cls(str(data["name"]), int(data["size"]), int(data["mtime_ns"]), tuple(side) if side else None,
                   int(data.get("ctime_ns", 0)), int(data.get("inode", 0)))


def article_files(folder: Path) -> list[Path]:
    """Article files of ``folder`` in name order (sidecar ``.yaml`` files are metadata, not articles)."""
    if not folder.is_dir():
        raise ArticleError(f"{folder}: articles folder not found (create it and put .txt articles in it, "
                           "or set articles_dir in config.yaml)")
    suffixes = ARTICLE_SUFFIXES + HTML_SUFFIXES
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith("."))


def article_id(path: Path) -> str:
    """The id is the file name without its final extension: ``xiaomi-us.fr.txt`` → ``xiaomi-us.fr``."""
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def read_sidecar(path: Path) -> dict:
    side = path.with_suffix(".yaml")
    if not side.is_file():
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ArticleError(f"{side}: sidecar is not valid YAML ({one_line(err)}); fix or delete it") from None
    if not isinstance(data, dict):
        raise ArticleError(f"{side}: sidecar must be a mapping (title, source, url, date, language)")
    return {k: str(v) for k, v in data.items() if k in SIDECAR_KEYS and v}


#: What a sidecar may say about its article (``article-bot add`` writes the extractor's findings here).
#: ``server``: the Discord server (guild id) the article belongs to, absent for a shared article;
#: ``feed`` and ``guid``: the feed it came from and its item id there (``bot/library/feeds/``).
SIDECAR_KEYS = ("title", "source", "url", "date", "language", "author", "site_name", "added_at", "server",
                "feed", "guid")


#: What a web page says about itself (``extract.py``), written to the sidecar when a page is added.
PAGE_KEYS = ("title", "date", "author", "site_name", "url", "language")
assert set(PAGE_KEYS) <= set(SIDECAR_KEYS)
