"""Fetch one web page or RSS/Atom feed safely: http(s) only, public addresses only, bounded in time and size.

Anyone who can talk to the bot can make it fetch a URL, so the fetch must not become a way into the
network the bot runs on (SSRF). Unless ``fetch.allow_private_hosts`` is set:

* a literal IP host (``http://10.0.0.1/``, ``http://[::1]/``) is checked before any connection;
* a host name is resolved by :class:`PublicResolver`, which drops every non-public address, and
  aiohttp connects to one of the addresses it returned. The check and the connection use the same
  lookup, so a name that resolves to a public address when checked and to 127.0.0.1 when connected
  (DNS rebinding) cannot slip through. The DNS cache is off, so every new connection (a redirect to
  another host, or after the server closed the last one) looks the name up and checks it again.

Redirects are followed by hand so that every hop gets the same checks. URLs with a user name or
password are refused: a news article needs no login, and the credentials would end up in logs,
error messages and article sidecars. Environment proxies are ignored (``trust_env=False``): through
a proxy the resolver would only ever see the proxy's name. The URL and address checks themselves
(``parse_url``, ``is_public_address``, ``PublicResolver``) are in ``bot/corpus/urls.py``; this module
is the HTTP side: the session, redirects, status, type and size.

Feeds are polled again and again, so they are fetched politely: the caller passes the ETag and
Last-Modified of the copy it has, the request carries them as If-None-Match / If-Modified-Since, and an
unchanged feed costs the site a bodiless 304. A site that says "not now" (429, 503) raises
:class:`RetryLater` with its Retry-After, so that the caller can wait as long as the site asked.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import math
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import aiohttp
from yarl import URL

from bot.config import FetchConfig
from bot.corpus.urls import (
    ALLOW_HINT,
    PublicResolver,
    RefusedAddress,
    check_literal_host,
    checked_url,
    parse_url,
    problem,
    shown,
    where,
)
from bot.errors import FetchError, one_line

log = logging.getLogger(__name__)

#: Media types worth extracting an article from; anything else is refused before its body is read.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
#: Media types RSS, Atom and RSS 1.0 (RDF) feeds are served as. JSON Feed is not read, so not accepted.
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
                        "text/xml"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})  # a web page where a feed was expected
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_LATER = frozenset({429, 503})  # the site asks to come back later, often saying when (Retry-After)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    """What a fetch expects, and so what it asks for, accepts, and how its refusals read."""

    noun: str  # "the page is over the limit", "the feed is over the limit"
    what: str  # "is a PDF, not <what>"
    types: frozenset[str]  # the declared media types accepted
    expected: str  # named when an unrelated type is refused
    accept: str  # the Accept header
    markup: str  # an untyped body starting with a tag is taken as this markup ...
    sniffed: str  # ... and typed as this


PAGE_KIND = Kind("page", "a web page", PAGE_TYPES, "text/html", PAGE_ACCEPT, "HTML", "text/html")
FEED_KIND = Kind("feed", "an RSS or Atom feed", FEED_TYPES, "application/rss+xml or application/atom+xml",
                 FEED_ACCEPT, "XML", "application/xml")
KINDS = {kind.noun: kind for kind in (PAGE_KIND, FEED_KIND)}  # by the name fetch(kind=...) takes


@dataclass(frozen=True)
class Fetched:
    """One fetched page or feed: the final URL after redirects, the raw body and its declared type.

    ``etag`` and ``last_modified`` are the response's validators, to be handed back to the next fetch
    of the same URL. A 304 (``not_modified``) has no body or type: the caller's copy is still current.
    """

    url: str
    body: bytes
    content_type: str  # lower-case media type without parameters, e.g. "text/html"; "" for a 304
    charset: str | None  # lower-case, from the Content-Type header; None when the server did not say
    status: int = 200
    etag: str | None = None  # the ETag header, verbatim
    last_modified: str | None = None  # the Last-Modified header, verbatim

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional fetch: nothing changed since the validators given."""
        return self.status == HTTPStatus.NOT_MODIFIED


class RetryLater(FetchError):
    """HTTP 429 or 503: the site is there but asks to come back later.

    ``retry_after`` is its Retry-After in seconds from now (never negative), or None when it did not
    say or said something unreadable; a poller waits at least that long before asking again.
    """

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header as seconds from ``now``: delta-seconds, or an HTTP date (past dates: 0).

    None when absent or unreadable, so that the caller falls back on its own back-off rather than
    trusting a guess.
    """
    text = (value or "").strip()
    if text.isascii() and text.isdigit():
        seconds = float(text)
        return seconds if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": a UTC time whose source zone is unknown
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _conditional(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """The If-None-Match / If-Modified-Since headers for the validators given.

    A validator that cannot be a header value (a hand-edited sidecar with a line break) is left out
    with a warning: the fetch then just downloads the whole body, while sending it would fail the fetch.
    """
    headers = {}
    for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified)):
        if not value:
            continue
        if value.isascii() and value.isprintable():
            headers[name] = value
        else:
            log.warning("fetch: %s %r is not a valid header value; fetching without it", name, value)
    return headers


@asynccontextmanager
async def _session(cfg: FetchConfig, headers: dict[str, str]) -> AsyncIterator[aiohttp.ClientSession]:
    """A one-fetch session: the public-only resolver, no DNS cache, no environment proxies.

    ``headers`` (Accept, validators) go with every hop, after the User-Agent.
    """
    resolver = None if cfg.allow_private_hosts else PublicResolver()
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False, limit=4)
    headers = {"User-Agent": cfg.user_agent, **headers}
    try:
        async with aiohttp.ClientSession(connector=connector, headers=headers, trust_env=False,
                                         timeout=aiohttp.ClientTimeout(total=None)) as session:
            yield session
    finally:
        if resolver is not None:
            await resolver.close()


async def fetch(url: str, cfg: FetchConfig, *, kind: str = "page", etag: str | None = None,
                last_modified: str | None = None) -> Fetched:
    """Fetch the web page (``kind="page"``) or RSS/Atom feed (``kind="feed"``) at ``url`` within ``cfg``.

    With ``etag`` / ``last_modified`` (from the Fetched of an earlier fetch of the URL) the request is
    conditional, and an unchanged resource comes back as a bodiless Fetched with ``not_modified``.

    Raises:
        RetryLater: HTTP 429 or 503, with the site's Retry-After.
        FetchError: one line naming the URL and what went wrong (bad scheme, refused address,
            unreachable, timeout, HTTP error, redirect loop, too large, not a web page or not a feed).
        ValueError: ``kind`` is neither "page" nor "feed" (a bug in the caller, not in the URL).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}, not {kind!r}")
    expect = KINDS[kind]
    start = parse_url(url)
    asked = shown(start)
    sent = _conditional(etag, last_modified)
    try:
        async with asyncio.timeout(cfg.timeout), _session(cfg, {"Accept": expect.accept, **sent}) as session:
            return await _follow(session, start, asked, cfg, expect, sent)
    except TimeoutError:
        raise FetchError(f"{asked}: no complete answer within {cfg.timeout:g} s (the site is slow or "
                         "unreachable; fetch.timeout in config.yaml sets the limit)") from None


def fetch_sync(url: str, cfg: FetchConfig, *, kind: str = "page", etag: str | None = None,
               last_modified: str | None = None) -> Fetched:
    """:func:`fetch` for synchronous callers: the CLI, or a worker thread (``asyncio.to_thread``).

    Called on a thread whose event loop is running, it runs the fetch on a helper thread, because
    ``asyncio.run`` cannot nest; that blocks the loop, so async code should ``await fetch()`` instead.
    """
    job = fetch(url, cfg, kind=kind, etag=etag, last_modified=last_modified)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(job)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="fetch") as pool:
        return pool.submit(asyncio.run, job).result()


async def _follow(session: aiohttp.ClientSession, start: URL, asked: str, cfg: FetchConfig, expect: Kind,
                  sent: dict[str, str]) -> Fetched:
    """GET ``start``, following at most ``cfg.max_redirects`` redirects, each hop checked anew."""
    current, seen = start, {start}
    while True:
        check_literal_host(asked, current, cfg)
        try:
            async with session.get(current, allow_redirects=False) as resp:
                target = _redirect_target(asked, current, resp)
                if target is None:
                    return await _final(asked, current, resp, cfg, expect, sent)
        except aiohttp.ClientError as err:
            raise _client_error(asked, current, err, expect) from None
        except UnicodeError as err:  # a host name IDNA cannot encode ("a..b", "xn--", a 64+ letter label)
            raise problem(asked, current, f"the host name is not valid ({one_line(err)})") from None
        if target in seen:
            raise problem(asked, current, f"redirect loop: {shown(target)} was already visited")
        if len(seen) > cfg.max_redirects:
            raise problem(asked, current, f"more than {cfg.max_redirects} redirects (fetch.max_redirects "
                                           "in config.yaml sets the limit)")
        log.info("fetch %s: redirected to %s", asked, shown(target))
        current = target
        seen.add(target)


def _redirect_target(asked: str, current: URL, resp: aiohttp.ClientResponse) -> URL | None:
    """Where a redirect response points (checked like the first URL), or None if it is no redirect."""
    location = resp.headers.get("Location")
    if resp.status not in REDIRECTS or not location:
        return None
    try:
        target = current.join(URL(location))
    except (ValueError, TypeError):
        raise problem(asked, current, f"redirects to an invalid address {shown(location)!r}") from None
    return checked_url(asked, target)


async def _final(asked: str, current: URL, resp: aiohttp.ClientResponse, cfg: FetchConfig, expect: Kind,
                 sent: dict[str, str]) -> Fetched:
    """The final response as a Fetched, after the status, type and size checks."""
    etag, last_modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
    if resp.status == HTTPStatus.NOT_MODIFIED and sent:
        # A 304 may leave out validators that did not change: the ones sent are still the current ones.
        return Fetched(str(current), b"", "", None, resp.status, etag or sent.get("If-None-Match"),
                       last_modified or sent.get("If-Modified-Since"))
    if resp.status >= 300:  # a 304 to an unconditional request too: there is no copy it could refer to
        message = f"{where(asked, current)}: {_status_message(resp.status, resp.reason)}"
        if resp.status in RETRY_LATER:
            raise RetryLater(message, retry_after_seconds(resp.headers.get("Retry-After")))
        raise FetchError(message)
    # No type, or the catch-all octet-stream that misconfigured servers send for HTML: look at the body.
    declared = "Content-Type" in resp.headers and resp.content_type != "application/octet-stream"
    if declared:
        _check_type(asked, current, resp.content_type, expect)
    if resp.content_length is not None and resp.content_length > cfg.max_bytes:
        raise problem(asked, current, f"the {expect.noun} is {resp.content_length:,} bytes, over the limit of "
                                       f"{cfg.max_bytes:,} (fetch.max_bytes in config.yaml)")
    body = await _read(asked, current, resp, cfg.max_bytes, expect)
    content_type = resp.content_type if declared else _sniff(asked, current, body, expect)
    charset = resp.charset.lower() if declared and resp.charset else None
    return Fetched(str(current), body, content_type, charset, resp.status, etag, last_modified)


async def _read(asked: str, current: URL, resp: aiohttp.ClientResponse, limit: int, expect: Kind) -> bytes:
    """The body, counted while streaming: reading stops as soon as it passes ``limit`` bytes."""
    chunks, total = [], 0
    async for chunk in resp.content.iter_chunked(CHUNK):
        total += len(chunk)
        if total > limit:
            raise problem(asked, current, f"the {expect.noun} is over the limit of {limit:,} bytes "
                                           "(fetch.max_bytes in config.yaml)")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_type(asked: str, current: URL, media: str, expect: Kind) -> None:
    """Refuse what is not the kind expected, saying what it is."""
    if media in expect.types:
        return
    if media in HTML_TYPES:  # only a feed gets here: the address of the site, or of an article
        what = f"is a web page ({media}), not an RSS or Atom feed: give the address of the site's feed itself"
    elif media == "application/pdf":
        what = f"is a PDF, not {expect.what}"
        if expect is PAGE_KIND:
            what += " (copy its text into a .txt file in the articles folder)"
    elif media.startswith("image/"):
        what = f"is an image ({media}), not {expect.what}"
    elif media.startswith(("audio/", "video/")):
        what = f"is a {media.split('/')[0]} file ({media}), not {expect.what}"
    else:
        what = f"is {media}, not {expect.what} (expected {expect.expected})"
    raise problem(asked, current, what)


MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
         (b"GIF8", "image/gif"))


def _sniff(asked: str, current: URL, body: bytes, expect: Kind) -> str:
    """The media type of a body sent without Content-Type: the kind's markup if it starts with a tag.

    For a feed, a body that opens as an HTML document is refused as the web page it is, rather than
    handed on as XML to fail in the feed parser.
    """
    for magic, media in MAGIC:
        if body.startswith(magic):
            _check_type(asked, current, media, expect)
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if expect is FEED_KIND and start[:14].lower().startswith((b"<!doctype html", b"<html")):
        _check_type(asked, current, "text/html", expect)
    if start.startswith(b"<"):
        return expect.sniffed
    raise problem(asked, current, f"the server sent no Content-Type and the body is not {expect.markup}")


def _status_message(status: int, reason: str | None) -> str:
    """``HTTP 404 Not Found`` plus what the user can do about that class of status."""
    try:
        reason = reason or HTTPStatus(status).phrase
    except ValueError:
        reason = reason or "error"
    hint = {401: "the page needs a login", 403: "the site refuses the request: it may need a login or block bots",
            404: "check the address", 410: "the page was removed", 429: "too many requests: try again later"}
    extra = hint.get(status) or ("the site has a problem: try again later" if status >= 500 else "")
    return f"HTTP {status} {reason}" + (f" ({extra})" if extra else "")


def _client_error(asked: str, current: URL, err: aiohttp.ClientError, expect: Kind) -> FetchError:
    """An aiohttp error as one line: refused address, DNS failure, TLS, connection, or reading."""
    host = current.host or ""
    if isinstance(err, aiohttp.ClientConnectorError) and isinstance(err.os_error, RefusedAddress):
        refused = err.os_error
        return problem(asked, current, f"refused: {refused.host} resolves to a private, loopback or "
                                        f"reserved address ({refused.address}); {ALLOW_HINT}")
    if isinstance(err, aiohttp.ClientConnectorDNSError):
        return problem(asked, current, f"cannot find host '{host}' (DNS lookup failed: check the address)")
    if isinstance(err, aiohttp.ClientConnectorCertificateError):
        reason = one_line(err.certificate_error)
        return problem(asked, current, f"the TLS certificate of {host} is not valid ({reason})")
    if isinstance(err, aiohttp.ClientSSLError):
        return problem(asked, current, f"TLS error with {host}: {one_line(err)}")
    if isinstance(err, aiohttp.ClientConnectorError):
        code = err.os_error.errno  # "Connection refused" says more than asyncio's "Connect call failed"
        reason = os.strerror(code) if code else err.os_error.strerror or one_line(err.os_error)
        return problem(asked, current, f"cannot connect to {host}:{current.port} ({reason})")
    return problem(asked, current, f"the connection failed while reading the {expect.noun} ({one_line(err)})")
