"""A fetched RSS or Atom feed read into its entries (feedparser): each one's key, link, title and the
fingerprint that says it changed."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import xml.sax
from typing import Any

from bot.corpus.fetch import Fetched
from bot.corpus.urls import shown
from bot.errors import FetchError, one_line

log = logging.getLogger(__name__)


def feed_entries(fetched: Fetched, max_items: int) -> list[tuple[str, str | None, str | None, str]]:
    """The newest ``max_items`` entries as (key, link, title, fingerprint), oldest first.

    Raises FetchError when the body is no feed: not XML, XML with no RSS/Atom root, or broken XML with
    no entry that could still be read.
    """
    import feedparser  # 70 ms: only when a feed is read

    # text/xml without a charset means US-ASCII to feedparser (RFC 3023); application/xml means "as the XML
    # declaration says", which is what such feeds mean.
    media = "application/xml" if fetched.content_type == "text/xml" and not fetched.charset else fetched.content_type
    headers = {"content-location": fetched.url,
               "content-type": f"{media}; charset={fetched.charset}" if fetched.charset else media}
    # A stream, never bytes or str: feedparser opens a string that looks like a path or a URL itself.
    parsed = feedparser.parse(io.BytesIO(fetched.body), response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception")
        why = ""
        if isinstance(problem, xml.sax.SAXParseException):
            why = f"broken XML at line {problem.getLineNumber()}, column {problem.getColumnNumber()}: " \
                  f"{one_line(Exception(problem.getMessage()))}"
        raise FetchError(f"{shown(fetched.url)}: not a readable RSS or Atom feed ("
                         + (why or "no <rss>, <feed> or <rdf:RDF> element") + ")")
    entries = list(parsed.entries)
    dates = [_get(e, "updated_parsed") or _get(e, "published_parsed") for e in entries]
    if entries and all(dates):  # newest first by date; otherwise the feed's own order (newest first by custom)
        entries = [e for _, e in sorted(zip(dates, entries, strict=True), key=lambda pair: pair[0], reverse=True)]
    out, keys = [], set()
    for e in entries[:max_items]:
        link = (_get(e, "link") or "").strip() or None
        key = (_get(e, "id") or "").strip() or link
        if key is None or key in keys:
            log.debug("feeds: an item of %s has no guid nor link, or the same as another; skipped", fetched.url)
            continue
        keys.add(key)
        title = " ".join((_get(e, "title") or "").split()) or None
        out.append((key, link, title, _fingerprint(e)))
    return out[::-1]


def _get(entry: dict[str, Any], key: str) -> Any:
    """``entry[key]`` as parsed, without feedparser's deprecated fallbacks (``updated`` → ``published``)."""
    return dict.get(entry, key)


def _fingerprint(entry: dict[str, Any]) -> str:
    """What says an entry changed: its updated date, title, summary and content."""
    parts = [_get(entry, "updated") or _get(entry, "published") or "", _get(entry, "title") or "",
             _get(entry, "summary") or "", *[c.get("value") or "" for c in _get(entry, "content") or []]]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]
