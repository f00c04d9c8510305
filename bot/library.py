"""The articles folder as a library: add an article (a text file, a saved web page or a URL), remove
one, list them. Each change is written to ``articles/`` and then indexed incrementally (only the
changed article is embedded: ``bot/engine.ensure_index``).

What ``add`` stores: ``articles/<id>.txt`` with the article's text (for a web page, the text
trafilatura extracted, paragraphs separated by blank lines) and ``articles/<id>.yaml``, its
sidecar: title, date, author, site name, source URL and when it was added. The id is the one given
with ``--id``, else made from the title (``halverton-approves-blue-line-tram``), else from the
file name.

Nothing is half-done: the source is fetched, extracted and parsed before anything is written; an
id, a URL or a text that is already in the library is refused; the files are written atomically,
and removed again if indexing fails. A bad input leaves ``articles/`` and the index as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import Config
from .errors import ArticleError, InputError
from .ingest import ARTICLE_SUFFIXES, HTML_SUFFIXES, Article, article_files, article_id, parse_article, read_sidecar

log = logging.getLogger(__name__)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
#: Ids made from titles are cut at this many characters (whole words).
SLUG_CHARS = 60


@dataclass(frozen=True)
class Incoming:
    """An article about to be added: its text, its sidecar metadata and where it came from."""

    text: str
    meta: dict[str, str]
    origin: str          # the URL or file it came from, for messages
    fallback_id: str     # an id when the title gives none


def is_url(source: str) -> bool:
    """``https://…``, ``ftp:…``, ``file:…``: anything with a scheme is a URL (bot/fetch.py refuses the
    schemes it does not fetch); a Windows drive letter ``C:`` is a path."""
    return bool(_URL.match(source)) and not re.match(r"^[A-Za-z]:[\\/]", source)


def fetch_incoming(source: str, config: Config) -> Incoming:
    """Read ``source`` (URL, .html/.htm file, .txt/.md file) into an :class:`Incoming`; nothing is written."""
    if is_url(source):
        from .extract import extract_url  # trafilatura and aiohttp: only when a page is read

        page = extract_url(source, config.fetch)
        meta = _page_meta(page)
        meta.setdefault("url", source)
        path_part = source.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        return Incoming(page.text, meta, source, slug(path_part) or "article")
    path = Path(source).expanduser()
    if not path.is_file():
        raise ArticleError(f"{source}: no such file (give a .txt, .md or .html file, or an http(s):// URL)")
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        from .extract import extract_file

        page = extract_file(path)
        return Incoming(page.text, _page_meta(page), str(path), article_id(path))
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleError(f"{path}: not an article file (accepted: .txt, .md, .html, .htm, or an http(s):// URL)")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(f"{path}: not UTF-8 (byte {err.start}); re-save the file as UTF-8") from None
    except OSError as err:
        raise ArticleError(f"{path}: cannot read the file ({err.strerror})") from None
    return Incoming(text, read_sidecar(path), str(path), article_id(path))


def _page_meta(page) -> dict[str, str]:
    """A web page's sidecar: the extractor's fields, and its site as the article's ``source``.
    The page's declared language is not kept: the text's detected language decides the stemmer."""
    meta = {k: v for k, v in page.sidecar().items() if k != "language"}
    if meta.get("site_name"):
        meta.setdefault("source", meta["site_name"])
    return meta


def slug(text: str) -> str:
    """``"Halverton approves Blue Line tram!"`` → ``halverton-approves-blue-line-tram`` (ASCII, whole words)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > SLUG_CHARS:
            break
        out = f"{out}-{w}" if out else w
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normal_url(url: str) -> str:
    return url.strip().rstrip("/").split("#")[0].lower()


def check_new(folder: Path, art_id: str, incoming: Incoming) -> None:
    """Refuse an id, a source URL or a text that the library already holds."""
    if not _ID.match(art_id):
        raise InputError(f"{art_id!r} is not a usable article id: use letters, digits, '.', '-' or '_' "
                         "(at most 80 characters, starting with a letter or digit)")
    url = incoming.meta.get("url")
    digest = _sha(incoming.text.strip())
    existing = article_files(folder) if folder.is_dir() else []
    for path in existing:  # the same source or text first: that is what a user most needs to know
        other = article_id(path)
        try:
            side = read_sidecar(path)
        except ArticleError:
            side = {}
        if url and side.get("url") and _normal_url(side["url"]) == _normal_url(url):
            raise InputError(f"{url} is already in the library as {other!r}")
        try:
            same = _sha(path.read_bytes().decode("utf-8-sig").strip()) == digest
        except (OSError, UnicodeDecodeError):
            same = False
        if same:
            raise InputError(f"{incoming.origin}: the same text is already in the library as {other!r}")
    for path in existing:
        if article_id(path) == art_id:
            raise InputError(f"an article with the id {art_id!r} already exists ({path}); "
                             "pick another with --id, or remove it first with `article-bot remove`")


def _write_atomic(path: Path, data: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _validated(text: str, art_id: str, meta: dict[str, str]) -> Article:
    """Parse the article as it will be stored, in a scratch folder: an unusable one is refused here."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{art_id}.txt"
        path.write_text(text, encoding="utf-8")
        if meta:
            path.with_suffix(".yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")
        return parse_article(path)


def add(config: Config, source: str, art_id: str | None = None, now: str | None = None, encoders=None):
    """Add ``source`` to the library and index it; returns (the new index, the article id).
    ``encoders``: already loaded ones (the bot's), else the configured ones are loaded."""
    from .engine import ensure_index, load_encoders

    incoming = fetch_incoming(source, config)
    art_id = art_id or slug(incoming.meta.get("title", "")) or incoming.fallback_id
    check_new(config.articles_dir, art_id, incoming)
    meta = dict(incoming.meta)
    meta["added_at"] = now or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = incoming.text.strip() + "\n"
    _validated(text, art_id, meta)
    folder = config.articles_dir
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"{art_id}.yaml", folder / f"{art_id}.txt"]
    if files[0].exists():
        raise InputError(f"{files[0]} already exists (a sidecar without its article?); remove it or pick another --id")
    written: list[Path] = []
    try:
        for path, data in ((files[0], yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)), (files[1], text)):
            _write_atomic(path, data)
            written.append(path)
        index = ensure_index(config, encoders or load_encoders(config))
    except BaseException as err:
        for f in written:
            f.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise ArticleError(f"cannot add {art_id!r} ({err.strerror or err}); nothing was changed") from None
        raise
    if art_id not in index.spans:  # cannot happen after _validated; never leave a file the index refused
        for f in files:
            f.unlink(missing_ok=True)
        raise ArticleError(f"{source}: the article could not be indexed")
    return index, art_id


def remove(config: Config, art_id: str):
    """Delete an article's file and sidecar from ``articles/`` and drop it from the index. The files are
    set aside first and put back if the index cannot be updated (the last article, a full disk...)."""
    from .engine import ensure_index, load_encoders

    folder = config.articles_dir
    paths = [p for p in article_files(folder) if article_id(p) == art_id]
    if not paths:
        known = ", ".join(article_id(p) for p in article_files(folder))
        raise InputError(f"no article with the id {art_id!r}; known articles: {known or 'none'}")
    if len({article_id(p) for p in article_files(folder)}) == 1:
        raise InputError(f"{art_id!r} is the only article; add another before removing it")
    sidecars = {p.with_suffix(".yaml") for p in paths if p.with_suffix(".yaml").is_file()}
    sidecars = {s for s in sidecars if not any(p.with_suffix(".yaml") == s for p in article_files(folder)
                                               if p not in paths)}
    aside = Path(tempfile.mkdtemp(prefix=".removing-", dir=folder))
    moved: list[tuple[Path, Path]] = []
    try:
        for path in [*paths, *sidecars]:
            os.replace(path, aside / path.name)
            moved.append((aside / path.name, path))
        index = ensure_index(config, load_encoders(config))
    except BaseException as err:
        for there, back in moved:
            os.replace(there, back)
        aside.rmdir()
        if isinstance(err, OSError):
            raise ArticleError(f"cannot remove {art_id!r} ({err.strerror or err}); nothing was changed") from None
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return index


def listing(index) -> list[dict]:
    """One entry per indexed article (id order), then one per skipped file with ``skipped``: the reason."""
    out = [{"id": a.id, "title": a.title, "language": a.language, "sentences": a.sentences, "url": a.url,
            "source": a.source, "date": a.date, "author": a.author, "added_at": a.added_at, "file": a.file}
           for a in sorted(index.articles, key=lambda a: a.id)]
    out += [{"id": article_id(Path(s.stamp.name)), "file": s.stamp.name, "skipped": s.reason} for s in index.skipped]
    return out
