"""The articles folder as a library: add an article (a text file, a saved web page or a URL), remove
one, list them. Each change is written to ``articles/`` and then indexed incrementally (only the
changed article is embedded: ``bot.index.maintenance.ensure_index``).

What ``add`` stores: ``articles/<id>.txt`` with the article's text (for a web page, the text
trafilatura extracted, paragraphs separated by blank lines) and ``articles/<id>.yaml``, its
sidecar: title, date, author, site name, source URL and when it was added. The id is the one given
with ``--id``, else made from the title the article gets (``halverton-approves-blue-line-tram``: the
sidecar's or page's title, else its first line, as ``article-bot list`` shows it), else from the
file name.

Nothing is half-done: the source is fetched, extracted and parsed before anything is written; an
id, a URL or a text that is already in the library is refused; the files are written atomically,
and removed again if indexing fails. A bad input leaves ``articles/`` and the index as they were.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.clock import now_iso
from bot.config import Config
from bot.corpus.article import ARTICLE_SUFFIXES, HTML_SUFFIXES, Article, article_files, article_id, read_sidecar
from bot.corpus.parse import parse_text
from bot.errors import ArticleError, InputError
from bot.files import write_atomic
from bot.index.encoders import Encoder
from bot.index.maintenance import lock
from bot.index.records import order_key, ordered
from bot.index.sentence_index import SentenceIndex
from bot.library.ids import Held, base_id, check_duplicate, check_id, slug, unique_id, without_suffix

if TYPE_CHECKING:  # annotations only: trafilatura is imported when a page is read
    from bot.corpus.extract import Extracted

log = logging.getLogger(__name__)

#: Loaded encoders by role (``dense``, ``topic``), as ``index.maintenance.load_encoders`` gives them.
Encoders = dict[str, Encoder]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Incoming:
    """An article about to be added: its text, its sidecar metadata and where it came from."""

    text: str
    meta: dict[str, str]
    origin: str          # the URL or file it came from, for messages
    fallback_id: str     # an id when the title gives none


@dataclass(frozen=True)
class Upload:
    """A file given as bytes (a Discord attachment): ``name`` as its sender called it (for messages),
    ``safe_name`` the plain file name its id and type come from."""

    name: str
    data: bytes
    safe_name: str


def is_url(source: str) -> bool:
    """``https://…``, ``ftp:…``, ``file:…``: anything with a scheme is a URL (bot/corpus/urls.py refuses the
    schemes it does not fetch); a Windows drive letter ``C:`` is a path."""
    return bool(_URL.match(source)) and not re.match(r"^[A-Za-z]:[\\/]", source)


def fetch_incoming(source: str | Upload, config: Config) -> Incoming:
    """Read ``source`` (URL, .html/.htm file, .txt/.md file, an upload) into an :class:`Incoming`;
    nothing is written."""
    if isinstance(source, Upload):
        path = Path(source.safe_name)
        return incoming_bytes(source.name, source.data, path.suffix.lower(), article_id(path), {})
    if is_url(source):
        from bot.corpus.extract import extract_url  # trafilatura and aiohttp: only when a page is read

        page = extract_url(source, config.fetch)
        meta = _page_meta(page)
        meta.setdefault("url", source)
        path_part = source.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        return Incoming(page.text, meta, source, slug(path_part) or "article")
    path = Path(source).expanduser()
    if not path.is_file():
        raise ArticleError(f"{source}: no such file (give a .txt, .md or .html file, or an http(s):// URL)")
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES + HTML_SUFFIXES:
        raise ArticleError(f"{path}: not an article file (accepted: .txt, .md, .html, .htm, or an http(s):// URL)")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArticleError(f"{path}: cannot read the file ({err.strerror})") from None
    sidecar = {} if suffix in HTML_SUFFIXES else read_sidecar(path)
    return incoming_bytes(str(path), data, suffix, article_id(path), sidecar)


def incoming_bytes(name: str, data: bytes, suffix: str, fallback_id: str, sidecar: dict[str, str]) -> Incoming:
    """An article file's bytes as an :class:`Incoming` (a saved page is extracted); ``name`` in messages."""
    if suffix in HTML_SUFFIXES:
        from bot.corpus.extract import extract_html

        page = extract_html(data, None, name)
        return Incoming(page.text, _page_meta(page), name, fallback_id)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(f"{name}: not UTF-8 (byte {err.start}); re-save the file as UTF-8") from None
    return Incoming(text, sidecar, name, fallback_id)


def _page_meta(page: Extracted) -> dict[str, str]:
    """A web page's sidecar: the extractor's fields, and its site as the article's ``source``.
    The page's declared language is not kept: the text's detected language decides the stemmer."""
    meta = {k: v for k, v in page.sidecar().items() if k != "language"}
    if meta.get("site_name"):
        meta.setdefault("source", meta["site_name"])
    return meta


def check_new(folder: Path, art_id: str, incoming: Incoming, server: str | None = None) -> None:
    """Refuse an id, a source URL or a text that the library already holds (``ids.check_duplicate``:
    among the articles ``server`` sees). Ids are file names, unique across the library; a server is
    told only that an id is taken, not by whom or where."""
    check_id(art_id)
    existing = article_files(folder) if folder.is_dir() else []
    # the same source or text first: that is what a user most needs to know
    check_duplicate(incoming.meta.get("url"), incoming.text, incoming.origin, server,
                    (_held(path) for path in existing))
    for path in existing:
        if article_id(path) == art_id:
            if server is not None:
                raise InputError(f"the id {art_id!r} is taken; give another id")
            raise InputError(f"an article with the id {art_id!r} already exists ({path}); "
                             "pick another with --id, or remove it first with `article-bot remove`")


def _held(path: Path) -> Held:
    """An article file as the duplicate check sees it (an unreadable sidecar or text counts as none)."""
    try:
        side = read_sidecar(path)
    except ArticleError:
        side = {}

    def text() -> str | None:
        try:
            return path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    return Held(f"already in the library as {article_id(path)!r}", side.get("url"), side.get("server"), text)


def _validated(text: str, art_id: str, meta: dict[str, str], origin: str) -> Article:
    """Parse the article as it will be stored: an unusable one is refused here, named by ``origin``."""
    return parse_text(text, art_id, meta, where=origin)


@dataclass(frozen=True)
class Prepared:
    """An article ready to be written: its id, text (one final newline) and sidecar, already parsed once."""

    id: str
    text: str
    meta: dict[str, str]
    origin: str
    title: str
    language: str
    sentences: int

    def renamed(self, taken: set[str] | frozenset[str]) -> Prepared:
        """This article under the id made from its title (``ids.base_id``; its id without a ``-N`` suffix
        when the title gives none), numbered ``-2``, ``-3``... past the ids in ``taken``."""
        return dataclasses.replace(self, id=unique_id(base_id(self.title, without_suffix(self.id)), taken))


def prepare(config: Config, source: str | Upload, art_id: str | None = None, *, server: str | None = None,
            extra: dict[str, str] | None = None, now: str | None = None, replace: bool = False,
            taken: set[str] | None = None, url_only: bool = False) -> Prepared:
    """Fetch, extract and check ``source`` without writing anything.

    ``server``: the server the article belongs to (its sidecar's ``server``), None for a shared one.
    ``extra``: more sidecar fields (a feed's ``feed`` and ``guid``). ``replace``: the id may already
    exist (a feed item whose page changed); its URL and text are then not compared with itself.
    ``taken``: ids to avoid when the id is made from the title (a feed's new items): ``-2``, ``-3``...
    ``url_only``: only an http(s) URL is accepted (whatever comes from Discord or a feed: a path there
    would read the bot's own disk).
    """
    if url_only:
        from bot.corpus.urls import parse_url

        parse_url(source)  # FetchError unless an absolute http(s) URL
    incoming = fetch_incoming(source, config)
    meta = dict(incoming.meta) | dict(extra or {})
    meta.pop("server", None)  # ownership comes from who adds it, never from the file or page
    if server is not None:
        meta["server"] = str(server)
    meta["added_at"] = now or now_iso()
    text = incoming.text.strip() + "\n"
    # Parsed once, before the id is known: the title it gets (the sidecar's or page's, else its first
    # line) is what a made id comes from; the id changes none of title, language or sentence count.
    art = _validated(text, art_id or incoming.fallback_id, meta, incoming.origin)
    if art_id is None:
        art_id = base_id(art.title, incoming.fallback_id)
        if taken is not None:
            art_id = unique_id(art_id, taken)
    if not replace:
        check_new(config.articles_dir, art_id, incoming, server)
    return Prepared(art_id, text, meta, incoming.origin, art.title, art.language, len(art.sentences))


def commit(config: Config, items: list[Prepared], encoders: Encoders | None = None,
           replacing: frozenset[str] = frozenset()) -> SentenceIndex:
    """Write ``items`` to ``articles/`` and index them in one update; returns the new index.

    Everything or nothing: on any failure the files written are removed and the replaced ones put back.
    ``replacing``: ids whose existing files are overwritten (their old bytes are restored on failure).
    """
    from bot.index.maintenance import ensure_index, load_encoders

    folder = config.articles_dir
    folder.mkdir(parents=True, exist_ok=True)
    undo: list[tuple[Path, bytes | None]] = []
    with lock(config):
        try:
            for item in items:
                files = {folder / f"{item.id}.yaml": yaml.safe_dump(item.meta, allow_unicode=True, sort_keys=False),
                         folder / f"{item.id}.txt": item.text}
                if item.id not in replacing:
                    clash = next((f for f in files if f.exists()), None)
                    if clash is not None:
                        raise InputError(f"the id {item.id!r} was taken meanwhile by another article; "
                                         "try again, or give another id")
                for path, data in files.items():
                    undo.append((path, path.read_bytes() if path.exists() else None))
                    write_atomic(path, data)
            index = ensure_index(config, encoders or load_encoders(config))
            missing = [item.id for item in items if item.id not in index.spans]
            if missing:  # cannot happen after _validated; never leave a file the index refused
                raise ArticleError(f"{', '.join(missing)}: the article could not be indexed")
        except BaseException as err:
            for path, old in reversed(undo):
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomic(path, old)
            if isinstance(err, OSError):
                what = ", ".join(repr(i.id) for i in items)
                raise ArticleError(f"cannot add {what} ({err.strerror or err}); nothing was changed") from None
            raise
    return index


def add(config: Config, source: str | Upload, art_id: str | None = None, now: str | None = None,
        encoders: Encoders | None = None, server: str | None = None, *, url_only: bool = False, unique: bool = False,
        on_index: Callable[[SentenceIndex], None] | None = None) -> tuple[SentenceIndex, str]:
    """Add ``source`` to the library and index it; returns (the new index, the article id).

    ``encoders``: already loaded ones (the bot's), else the configured ones are loaded. ``unique``: an
    id made from the title that is taken gets ``-2``, ``-3``... instead of a refusal (adds from Discord),
    checked again under the lock since another add may take it meanwhile. ``on_index``: called with the
    new index while the lock is still held (the engine swaps it in there). Fetching and extracting
    happen before the lock is taken, so a slow site holds up no other change.
    """
    unique = unique and art_id is None
    item = prepare(config, source, art_id, server=server, now=now, url_only=url_only,
                   taken=ids_on_disk(config) if unique else None)
    with lock(config):
        if unique:
            taken = ids_on_disk(config)
            if item.id in taken:
                item = item.renamed(taken)
        check_new(config.articles_dir, item.id, Incoming(item.text, item.meta, item.origin, item.id), server)
        index = commit(config, [item], encoders)
        if on_index is not None:
            on_index(index)
    return index, item.id


def ids_on_disk(config: Config) -> set[str]:
    """The ids of the article files in ``articles/`` (indexed or skipped: either way the id is taken)."""
    folder = config.articles_dir
    return {article_id(p) for p in article_files(folder)} if folder.is_dir() else set()


def owner(config: Config, art_id: str) -> str | None:
    """The server an article belongs to (its sidecar's ``server``), None when it is shared."""
    paths = [p for p in article_files(config.articles_dir) if article_id(p) == art_id]
    return _owner(paths[0]) if paths else None


def _owner(path: Path) -> str | None:
    try:
        return read_sidecar(path).get("server")
    except ArticleError:
        return None


def remove(config: Config, art_id: str, encoders: Encoders | None = None, *,
           server: str | None = None) -> SentenceIndex:
    """Delete an article's file and sidecar from ``articles/`` and drop it from the index. The files are
    set aside first and put back if the index cannot be updated (the last article, a full disk...).

    ``server``: remove on behalf of that server, which may only remove its own articles (``/article
    remove``); None is the operator (``article-bot remove``), who may remove any.
    """
    from bot.index.maintenance import ensure_index, load_encoders

    folder = config.articles_dir
    with lock(config):
        files = article_files(folder)
        owners = {article_id(p): _owner(p) for p in files} if server is not None else {}
        paths = [p for p in files if article_id(p) == art_id]
        if server is not None and owners.get(art_id) != str(server):
            paths = []  # another server's or a shared article: to this server it does not exist to remove
        if not paths:
            known = ", ".join(sorted({article_id(p) for p in files
                                      if server is None or owners.get(article_id(p)) == str(server)}, key=order_key))
            raise InputError(f"no article with the id {art_id!r} that you can remove; "
                             f"{'known' if server is None else 'your server' + chr(39) + 's'} articles: "
                             f"{known or 'none'}")
        if len({article_id(p) for p in files}) == 1:
            raise InputError(f"{art_id!r} is the only article; add another before removing it")
        sidecars = {p.with_suffix(".yaml") for p in paths if p.with_suffix(".yaml").is_file()}
        sidecars = {s for s in sidecars if not any(p.with_suffix(".yaml") == s for p in files if p not in paths)}
        aside = Path(tempfile.mkdtemp(prefix=".removing-", dir=folder))
        moved: list[tuple[Path, Path]] = []
        try:
            for path in [*paths, *sidecars]:
                os.replace(path, aside / path.name)
                moved.append((aside / path.name, path))
            index = ensure_index(config, encoders or load_encoders(config))
        except BaseException as err:
            for there, back in moved:
                os.replace(there, back)
            aside.rmdir()
            if isinstance(err, OSError):
                raise ArticleError(f"cannot remove {art_id!r} ({err.strerror or err}); nothing was changed") from None
            raise
        shutil.rmtree(aside, ignore_errors=True)
    return index


def listing(index: SentenceIndex) -> list[dict]:
    """One entry per indexed article (in the order they are shown: ``records.order_key``), then one per
    skipped file with ``skipped``: the reason."""
    out: list[dict] = [a.to_json() for a in ordered(index.articles)]
    out += [{"id": article_id(Path(s.stamp.name)), "file": s.stamp.name, "skipped": s.reason} for s in index.skipped]
    return out
