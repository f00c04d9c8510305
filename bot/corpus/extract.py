"""A web page → the article's text and metadata, ready to be saved as an article file + sidecar.

trafilatura finds the article body and drops the page around it (navigation, cookie banners,
related links, comments, footers); it is run for precision, since a sentence of boilerplate in the
index is a wrong answer waiting to happen, while a missed sentence only makes an answer less likely.
Paragraphs come out separated by blank lines, which is how bot/corpus/parse.py splits them.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import charset_normalizer
from trafilatura import bare_extraction, load_html

from bot.config import FetchConfig
from bot.corpus.article import HTML_SUFFIXES, PAGE_KEYS
from bot.corpus.fetch import fetch_sync
from bot.corpus.urls import parse_url, shown
from bot.errors import ArticleError

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# trafilatura logs "discarding data" or "lxml parsing failed" as errors for pages that hold no
# article; the ArticleError raised here says the same once, with the fix, so its log stays quiet.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

#: Less text than this (about two sentences) is not an article but a paywall teaser, a cookie wall,
#: a cover page or an error page; answering questions from it would only quote the teaser.
MIN_ARTICLE_CHARS = 200


# WHATWG Encoding: pages labelled latin-1 or ASCII are decoded as windows-1252 by every browser, and
# authors rely on it (curly quotes and the euro sign live in 0x80-0x9f).
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Extracted:
    """An article taken from a page: its text (paragraphs separated by blank lines) and metadata."""

    text: str
    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD, the original publication date when the page gives it
    author: str | None = None
    site_name: str | None = None
    url: str | None = None
    language: str | None = None  # from <html lang>, e.g. "fr"; None lets ingest detect it

    def sidecar(self) -> dict[str, str]:
        """The non-empty metadata fields, for the article's YAML sidecar."""
        fields = asdict(self)
        return {key: fields[key] for key in PAGE_KEYS if fields[key]}


def extract_html(body: bytes | str, url: str | None, where: str, charset: str | None = None) -> Extracted:
    """The article in the HTML page ``body``.

    Args:
        body: the page, as fetched (bytes) or already decoded.
        url: where the page came from (used for metadata and relative links), or None.
        where: how to name the page in an error message (its URL or file path).
        charset: the encoding the server declared, if any; otherwise it is read from the page or guessed.

    Raises:
        ArticleError: the page holds no article text (paywalled, empty, or only navigation).
    """
    html = decode_page(body, charset) if isinstance(body, bytes) else body
    tree = load_html(html) if html.strip() else None
    doc = _extract(tree, url) if tree is not None else None
    text = _paragraphs(doc.text if doc is not None else "")
    prose = "\n\n".join(p for p in text.split("\n\n") if not p.startswith("- "))
    if len(prose) < MIN_ARTICLE_CHARS:  # a list alone is a menu or an index page, not an article
        raise _no_article(where, prose)
    return Extracted(text=text, title=_clean(doc.title), date=_clean(doc.date), author=_clean(doc.author),
                     site_name=_clean(doc.sitename), url=_clean(doc.url) or url, language=_language(tree))


def extract_text(body: bytes | str, url: str | None, where: str, charset: str | None = None) -> Extracted:
    """A ``text/plain`` page as an article: its first line is the title."""
    text = decode_page(body, charset) if isinstance(body, bytes) else body
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(text) < MIN_ARTICLE_CHARS:
        raise _no_article(where, text)
    return Extracted(text=text, title=text.split("\n", 1)[0].strip()[:300], url=url)


def extract_file(path: Path) -> Extracted:
    """The article in a saved web page (.html, .htm or .xhtml)."""
    if path.suffix.lower() not in HTML_SUFFIXES:
        raise ArticleError(f"{path}: expected a saved web page ending in {', '.join(HTML_SUFFIXES)}")
    try:
        body = path.read_bytes()
    except OSError as err:
        raise ArticleError(f"{path}: cannot read the file ({err.strerror or err})") from None
    return extract_html(body, None, str(path))


def extract_url(url: str, cfg: FetchConfig) -> Extracted:
    """Fetch ``url`` (see bot/corpus/urls.py and fetch.py for the safety checks) and extract its article.

    Raises:
        FetchError: the page cannot be fetched, or is not a web page (PDF, image...).
        ArticleError: the page holds no article text.
    """
    page = fetch_sync(url, cfg)
    asked = parse_url(url)
    where = shown(asked) if page.url == str(asked) else f"{shown(asked)} (redirected to {shown(page.url)})"
    if page.content_type == "text/plain":
        return extract_text(page.body, page.url, where, page.charset)
    return extract_html(page.body, page.url, where, page.charset)


def decode_page(body: bytes, charset: str | None = None) -> str:
    """``body`` as text: a BOM, else the declared charset, else the page's <meta>, else UTF-8, else a guess.

    Each candidate must decode the whole body strictly; a page whose label lies (cp1252 bytes
    labelled UTF-8, a common fault) then falls through to the next one instead of coming out garbled.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    meta = _META_CHARSET.search(body[:4096])
    declared = meta.group(1).decode("ascii") if meta else None
    if declared and declared.lower().startswith("utf-16"):  # a page read as ASCII cannot be UTF-16 (WHATWG)
        declared = "utf-8"
    labels = [charset, declared, "utf-8"]
    candidates = [name for name in map(_codec, labels) if name]
    for encoding in candidates:
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    guess = charset_normalizer.from_bytes(body).best()
    return body.decode(guess.encoding if guess else candidates[0], errors="replace")


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None for a missing or unknown label."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def _extract(tree: HtmlElement, url: str | None):
    """trafilatura tuned for precision: no comments, tables, images or links; the original date."""
    return bare_extraction(tree, url=url, with_metadata=True, favor_precision=True, include_comments=False,
                           include_tables=False, include_images=False, include_links=False,
                           date_extraction_params={"original_date": True, "extensive_search": False})


def _paragraphs(text: str) -> str:
    """trafilatura's one-block-per-line text as paragraphs separated by blank lines (list items keep "- ")."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _language(tree: HtmlElement) -> str | None:
    """The primary subtag of ``<html lang>`` ("en-GB" → "en"), when it looks like a language code."""
    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    primary = lang.split("-")[0].split("_")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _clean(value: str | None) -> str | None:
    """A metadata value on one line, or None when empty."""
    text = " ".join((value or "").split())
    return text or None


def _no_article(where: str, text: str) -> ArticleError:
    found = f"only {len(text)} characters of text" if text else "no article text"
    return ArticleError(f"{where}: {found} found in the page (paywalled, or not an article?); "
                        "save the article text as a .txt file in the articles folder instead")
