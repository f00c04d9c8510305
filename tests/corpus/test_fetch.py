"""bot/corpus/fetch.py against a real HTTP server on 127.0.0.1, plus the address filter (bot/corpus/urls.py)
and the fetch config.

The server is on a loopback address, so these tests set ``allow_private_hosts`` except where they
test the refusal itself; the refusals must happen before any connection (the server counts requests).
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time
from datetime import UTC, datetime
from email.utils import formatdate

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

import bot.corpus.urls as urls_module
from bot.config import Config, FetchConfig, load_config
from bot.corpus.fetch import FEED_ACCEPT, RetryLater, fetch, fetch_sync, retry_after_seconds
from bot.corpus.urls import PublicResolver, is_public_address, public_results
from bot.devtools.pages import PageServer
from bot.errors import ConfigError, FetchError
from tests.support.project import write_yaml
from tests.support.waits import GUARD_S

LOCAL = FetchConfig(allow_private_hosts=True, timeout=GUARD_S)
PAGE = "<html><head><title>A page</title></head><body><p>Hello, world.</p></body></html>"


@pytest.fixture
def web_server():
    with PageServer() as server:
        yield server


async def fetch_error(url: str, cfg: FetchConfig = LOCAL, **options) -> str:
    """The one-line message of the FetchError that fetching ``url`` (with ``options``) raises."""
    with pytest.raises(FetchError) as info:
        await fetch(url, cfg, **options)
    message = str(info.value)
    assert "\n" not in message
    return message


# --- good pages -------------------------------------------------------------------------------


async def test_fetches_a_page_with_its_type_charset_and_user_agent(web_server):
    url = web_server.page("/news", PAGE, "text/html; charset=ISO-8859-1")
    page = await fetch(url, LOCAL)
    assert page.url == url and page.body == PAGE.encode()
    assert page.content_type == "text/html" and page.charset == "iso-8859-1"
    assert web_server.headers[0]["User-Agent"] == LOCAL.user_agent


async def test_follows_a_redirect_and_reports_the_final_url(web_server):
    final = web_server.page("/story", PAGE)
    web_server.redirect("/moved", "/short")
    start = web_server.redirect("/short", final, status=301)
    page = await fetch(start.replace("/short", "/moved"), LOCAL)
    assert page.url == final and page.body == PAGE.encode()
    assert web_server.requests == ["/moved", "/short", "/story"]


def untyped(body: bytes, content_type: str | None = None):
    """A handler sending ``body`` as ``content_type``, or with no Content-Type at all when None."""

    async def handler(request):
        response = web.Response(body=body)
        response.headers.popall("Content-Type", None)
        if content_type:
            response.headers["Content-Type"] = content_type
        return response

    return handler


async def test_a_body_without_content_type_is_sniffed(web_server):
    page = await fetch(web_server.handle("/untyped", untyped(b"  <!doctype html><p>hi</p>")), LOCAL)
    assert page.content_type == "text/html" and page.charset is None


def test_fetch_sync_works_from_a_worker_thread_and_from_a_running_loop(web_server):
    url = web_server.page("/news", PAGE)
    assert fetch_sync(url, LOCAL).body == PAGE.encode()

    async def main():
        in_thread = await asyncio.to_thread(fetch_sync, url, LOCAL)
        in_loop = fetch_sync(url, LOCAL)  # a loop runs here: the fetch goes to a helper thread
        return in_thread, in_loop

    assert all(page.body == PAGE.encode() for page in asyncio.run(main()))


# --- HTTP failures ----------------------------------------------------------------------------


@pytest.mark.parametrize("status, expected", [
    (404, "HTTP 404 Not Found (check the address)"),
    (500, "HTTP 500 Internal Server Error (the site has a problem: try again later)"),
    (403, "HTTP 403 Forbidden (the site refuses the request: it may need a login or block bots)"),
    (599, "HTTP 599 error (the site has a problem: try again later)"),
])
async def test_http_errors_name_the_status(web_server, status, expected):
    url = web_server.page("/page", "oops", "text/plain", status=status)
    assert await fetch_error(url) == f"{url}: {expected}"


async def test_a_missing_page_is_a_404(web_server):
    url = web_server.url("/nothing-here")
    assert await fetch_error(url) == f"{url}: HTTP 404 Not Found (check the address)"


async def test_a_redirect_loop_is_reported(web_server):
    a = web_server.redirect("/a", "/b")
    web_server.redirect("/b", "/a")
    message = await fetch_error(a)
    assert message.startswith(f"{a} (redirected to {web_server.url('/b')}): redirect loop")
    assert web_server.requests == ["/a", "/b"]


async def test_too_many_redirects(web_server):
    for hop in range(4):
        web_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    web_server.page("/r4", PAGE)
    cfg = dataclasses.replace(LOCAL, max_redirects=3)
    assert "more than 3 redirects (fetch.max_redirects in config.yaml" in await fetch_error(web_server.url("/r0"), cfg)
    assert web_server.requests == ["/r0", "/r1", "/r2", "/r3"]
    assert (await fetch(web_server.url("/r1"), cfg)).url == web_server.url("/r4")


async def test_a_redirect_to_another_scheme_is_refused(web_server):
    url = web_server.redirect("/evil", "file:///etc/passwd")
    message = await fetch_error(url)
    assert "only http:// and https:// web pages can be fetched, not file:" in message


# --- size -------------------------------------------------------------------------------------


async def test_too_large_by_content_length_is_refused_before_the_body(web_server):
    url = web_server.page("/big", "x" * 10_000, "text/html")
    cfg = dataclasses.replace(LOCAL, max_bytes=4096)
    message = await fetch_error(url, cfg)
    assert message == (f"{url}: the page is 10,000 bytes, over the limit of 4,096 "
                       "(fetch.max_bytes in config.yaml)")


async def test_an_endless_chunked_body_stops_at_the_limit(web_server):
    sent = []

    async def endless(request):
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            while True:  # ends only when the client hangs up
                await response.write(b"<p>" + b"x" * 1024 + b"</p>")
                sent.append(1)
        except (ConnectionError, RuntimeError):
            return response

    url = web_server.handle("/endless", endless)
    message = await fetch_error(url, dataclasses.replace(LOCAL, max_bytes=4096))
    assert message == f"{url}: the page is over the limit of 4,096 bytes (fetch.max_bytes in config.yaml)"


# --- content types ----------------------------------------------------------------------------


@pytest.mark.parametrize("content_type, body, expected", [
    ("application/pdf", b"%PDF-1.7 ...", "is a PDF, not a web page"),
    ("image/png", b"\x89PNG\r\n", "is an image (image/png), not a web page"),
    ("video/mp4", b"....", "is a video file (video/mp4), not a web page"),
    ("application/json", b"{}", "is application/json, not a web page (expected text/html)"),
    ("application/octet-stream", b"%PDF-1.4", "is a PDF, not a web page"),
])
async def test_what_is_not_a_web_page_is_refused(web_server, content_type, body, expected):
    url = web_server.page("/file", body, content_type)
    assert (await fetch_error(url)).startswith(f"{url}: {expected}")


async def test_plain_text_is_accepted(web_server):
    page = await fetch(web_server.page("/t.txt", "Title\n\nBody.", "text/plain; charset=utf-8"), LOCAL)
    assert page.content_type == "text/plain" and page.charset == "utf-8"


# --- feeds ------------------------------------------------------------------------------------

RSS = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
       "<item><title>A story</title><link>https://news.example/story</link></item></channel></rss>")
RSS_ETAG = '"rss-v1"'
RSS_DATE = "Wed, 21 Oct 2015 07:28:00 GMT"


async def test_a_feed_is_fetched_asking_for_feed_types(web_server):
    url = web_server.page("/rss", RSS, "application/rss+xml; charset=UTF-8")
    feed = await fetch(url, LOCAL, kind="feed")
    assert feed.body == RSS.encode() and feed.content_type == "application/rss+xml" and feed.charset == "utf-8"
    assert feed.status == 200 and not feed.not_modified
    assert web_server.headers[0]["Accept"] == FEED_ACCEPT
    assert "If-None-Match" not in web_server.headers[0] and "If-Modified-Since" not in web_server.headers[0]


@pytest.mark.parametrize("content_type", [None, "application/octet-stream"])
async def test_a_feed_without_content_type_is_sniffed_as_xml(web_server, content_type):
    url = web_server.handle("/feed", untyped(b"\xef\xbb\xbf\n" + RSS.encode(), content_type))
    feed = await fetch(url, LOCAL, kind="feed")
    assert feed.content_type == "application/xml" and feed.charset is None and feed.body.endswith(b"</rss>")


@pytest.mark.parametrize("content_type, body, expected", [
    ("text/html; charset=utf-8", PAGE, "is a web page (text/html), not an RSS or Atom feed: give the address "
                                       "of the site's feed itself"),
    (None, "<!DOCTYPE html>" + PAGE, "is a web page (text/html), not an RSS or Atom feed"),
    ("application/pdf", "%PDF-1.7", "is a PDF, not an RSS or Atom feed"),
    ("application/feed+json", "{}", "is application/feed+json, not an RSS or Atom feed (expected "
                                    "application/rss+xml or application/atom+xml)"),
    (None, "just text", "the server sent no Content-Type and the body is not XML"),
])
async def test_what_is_not_a_feed_is_refused(web_server, content_type, body, expected):
    url = web_server.handle("/feed", untyped(body.encode(), content_type))
    assert (await fetch_error(url, kind="feed")).startswith(f"{url}: {expected}")


def conditional_feed(server: PageServer, validator: str, value: str) -> str:
    """Serve RSS with the ``validator`` response header; answer 304 when the request sends it back."""
    asked_with = {"ETag": "If-None-Match", "Last-Modified": "If-Modified-Since"}[validator]

    async def handler(request):
        if request.headers.get(asked_with) == value:
            return web.Response(status=304)  # without the validator: the client keeps the one it sent
        return web.Response(text=RSS, content_type="application/rss+xml", headers={validator: value})

    return server.handle("/conditional", handler)


async def test_an_etag_round_trip_gets_a_304(web_server):
    url = conditional_feed(web_server, "ETag", RSS_ETAG)
    first = await fetch(url, LOCAL, kind="feed")
    assert first.etag == RSS_ETAG and first.last_modified is None
    again = await fetch(url, LOCAL, kind="feed", etag=first.etag)
    assert again == dataclasses.replace(first, body=b"", content_type="", charset=None, status=304)
    assert again.not_modified
    assert web_server.headers[1]["If-None-Match"] == RSS_ETAG


def test_a_last_modified_round_trip_gets_a_304(web_server):  # through fetch_sync, which passes the options
    url = conditional_feed(web_server, "Last-Modified", RSS_DATE)
    first = fetch_sync(url, LOCAL, kind="feed")
    assert first.last_modified == RSS_DATE and first.etag is None
    again = fetch_sync(url, LOCAL, kind="feed", last_modified=first.last_modified)
    assert again.not_modified and again.body == b"" and again.last_modified == RSS_DATE
    assert web_server.headers[1]["If-Modified-Since"] == RSS_DATE


async def test_a_304_to_an_unconditional_fetch_is_an_error(web_server):
    url = web_server.page("/odd", b"", "text/html", status=304)
    assert await fetch_error(url) == f"{url}: HTTP 304 Not Modified"


async def test_a_validator_that_cannot_be_a_header_is_left_out(web_server):
    url = conditional_feed(web_server, "ETag", RSS_ETAG)
    assert (await fetch(url, LOCAL, kind="feed", etag=RSS_ETAG + "\r\nX-Evil: 1")).status == 200
    assert "If-None-Match" not in web_server.headers[0] and "X-Evil" not in web_server.headers[0]


async def test_429_raises_retry_later_with_the_seconds_asked(web_server):
    url = web_server.page("/busy", "slow down", "text/plain", status=429, headers={"Retry-After": "120"})
    with pytest.raises(RetryLater) as info:
        await fetch(url, LOCAL, kind="feed")
    assert info.value.retry_after == 120
    assert str(info.value) == f"{url}: HTTP 429 Too Many Requests (too many requests: try again later)"


async def test_503_raises_retry_later_with_an_http_date(web_server):
    in_an_hour = formatdate(time.time() + 3600, usegmt=True)  # whole seconds: up to 1 s under the hour
    url = web_server.page("/down", "maintenance", "text/plain", status=503, headers={"Retry-After": in_an_hour})
    with pytest.raises(RetryLater) as info:
        await fetch(url, LOCAL)
    assert 3600 - GUARD_S < info.value.retry_after <= 3600
    assert str(info.value).startswith(f"{url}: HTTP 503 Service Unavailable")


@pytest.mark.parametrize("value, seconds", [
    ("0", 0.0), (" 30 ", 30.0), ("Sun, 01 Jan 2034 00:01:40 GMT", 100.0), ("Sun, 01 Jan 2034 00:01:40 -0000", 100.0),
    ("Sat, 31 Dec 2033 23:00:00 GMT", 0.0), (None, None), ("", None), ("-5", None), ("soon", None), ("1.5", None),
])
def test_retry_after_values(value, seconds):
    assert retry_after_seconds(value, now=datetime(2034, 1, 1, tzinfo=UTC)) == seconds


async def test_other_errors_are_not_retry_later(web_server):
    url = web_server.page("/gone", "gone", "text/plain", status=500, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as info:
        await fetch(url, LOCAL, kind="feed")
    assert not isinstance(info.value, RetryLater)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "10.0.0.1"])
async def test_a_feed_on_a_private_host_is_refused_before_any_connection(web_server, host):
    web_server.page("/rss", RSS, "application/rss+xml")
    message = await fetch_error(web_server.url("/rss", host=host), FetchConfig(), kind="feed")
    assert "refused" in message and message.endswith("`fetch: {allow_private_hosts: true}` in config.yaml")
    assert web_server.requests == []


async def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="kind must be one of 'page', 'feed', not 'podcast'"):
        await fetch("https://news.example/", LOCAL, kind="podcast")


# --- time and reachability --------------------------------------------------------------------


@pytest.mark.parametrize("stall", ["headers", "body"])
async def test_a_stalled_server_times_out(web_server, stall):
    async def slow(request):
        if stall == "headers":
            await web_server.released()
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        await response.write(b"<p>start")
        await web_server.released()
        return response

    url = web_server.handle("/slow", slow)
    message = await fetch_error(url, dataclasses.replace(LOCAL, timeout=0.5))
    assert message == (f"{url}: no complete answer within 0.5 s (the site is slow or unreachable; "
                       "fetch.timeout in config.yaml sets the limit)")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_an_unreachable_host_is_reported():
    port = closed_port()
    message = await fetch_error(f"http://127.0.0.1:{port}/news")
    assert message == f"http://127.0.0.1:{port}/news: cannot connect to 127.0.0.1:{port} (Connection refused)"


async def test_a_dns_failure_is_reported(monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host == "news.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for cfg in (LOCAL, FetchConfig()):
        message = await fetch_error("https://news.invalid/story", cfg)
        assert message == ("https://news.invalid/story: cannot find host 'news.invalid' "
                           "(DNS lookup failed: check the address)")


# --- schemes and credentials ------------------------------------------------------------------


@pytest.mark.parametrize("url, expected", [
    ("file:///etc/passwd", "only http:// and https:// web pages can be fetched, not file:"),
    ("ftp://ftp.example.com/a.html", "only http:// and https:// web pages can be fetched, not ftp:"),
    ("data:text/html,<p>hi</p>", "not data:"),
    ("javascript:alert(1)", "not javascript:"),
    ("example.com/news", "not a web address: give the full URL, starting with https://"),
    ("http:///news", "the URL has no host name"),
    ("https://user:secret@example.com/", "URLs with a user name or password are refused"),
])
async def test_only_plain_http_urls_are_accepted(url, expected):
    message = await fetch_error(url)
    assert expected in message
    assert "secret" not in message


# --- private addresses ------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "10.0.0.1", "169.254.169.254",
                                  "192.168.1.1", "[::ffff:127.0.0.1]", "0.0.0.0", "127.1", "2130706433"])
async def test_private_hosts_are_refused_before_any_connection(web_server, host):
    url = web_server.url("/news", host=host)
    message = await fetch_error(url, FetchConfig())
    assert "refused" in message or "not a plain IP address" in message
    if "refused" in message:
        assert message.endswith("to fetch from your own network set `fetch: {allow_private_hosts: true}` "
                                "in config.yaml")
    assert web_server.requests == []


class FakeDNS(AbstractResolver):
    """Answers from a table; a host's answers are used in turn (the last one repeats)."""

    answers: dict[str, list[str]] = {}

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
                      ) -> list[ResolveResult]:
        queue = self.answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [{"hostname": host, "host": address, "port": port, "family": socket.AF_INET, "proto": 0,
                 "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        pass


@pytest.fixture
def only_127_0_0_1_is_public(monkeypatch):
    """Pretend 127.0.0.1 is a public address (the test server's) and 127.0.0.2 a private one."""
    real = urls_module.is_public_address
    monkeypatch.setattr(FakeDNS, "answers", {})
    monkeypatch.setattr(urls_module, "is_public_address", lambda a: a == "127.0.0.1" or real(a))
    monkeypatch.setattr(urls_module, "DefaultResolver", FakeDNS)


async def test_every_redirect_hop_is_checked(web_server, only_127_0_0_1_is_public):
    FakeDNS.answers = {"news.test": ["127.0.0.1"], "intranet.test": ["127.0.0.2"]}
    web_server.page("/story", PAGE)
    assert (await fetch(web_server.url("/story", host="news.test"), FetchConfig())).body == PAGE.encode()
    for target in ("http://127.0.0.2/admin", "http://intranet.test/admin", "http://[::1]/admin"):
        web_server.redirect("/hop", target)
        message = await fetch_error(web_server.url("/hop", host="news.test"), FetchConfig())
        assert f"(redirected to {target}): refused:" in message
    assert web_server.requests == ["/story", "/hop", "/hop", "/hop"]


async def test_dns_rebinding_cannot_pass_the_check(web_server, only_127_0_0_1_is_public):
    """The name answers a public address first, then a private one: the second connection is refused.

    The redirect closes its connection, so the next hop needs a new one, hence a new lookup (a kept-alive
    connection goes on to the address that was checked, which is safe).
    """
    FakeDNS.answers = {"rebind.test": ["127.0.0.1", "127.0.0.2"]}
    second = web_server.page("/second", PAGE).replace("127.0.0.1", "rebind.test")

    async def redirect_and_close(request):
        return web.Response(status=302, headers={"Location": second, "Connection": "close"})

    web_server.handle("/first", redirect_and_close)
    message = await fetch_error(web_server.url("/first", host="rebind.test"), FetchConfig())
    assert message.endswith("refused: rebind.test resolves to a private, loopback or reserved address "
                            "(127.0.0.2); to fetch from your own network set "
                            "`fetch: {allow_private_hosts: true}` in config.yaml")
    assert web_server.requests == ["/first"]


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8",
                                     "64:ff9b::808:808"])
def test_public_addresses(address):
    assert is_public_address(address)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.255.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "240.0.0.1", "198.18.0.1",
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
    "64:ff9b::a00:1", "2002:7f00:1::1", "2002:a00:1::", "not-an-address", "",
])
def test_non_public_addresses(address):
    assert not is_public_address(address)


def result(address: str) -> ResolveResult:
    return {"hostname": "h", "host": address, "port": 80, "family": 0, "proto": 0, "flags": 0}


def test_the_resolver_filter_keeps_only_public_addresses():
    mixed = [result(a) for a in ("10.0.0.1", "93.184.216.34", "::ffff:127.0.0.1", "2606:4700::1", "::1")]
    assert [r["host"] for r in public_results(mixed)] == ["93.184.216.34", "2606:4700::1"]


class Answers(AbstractResolver):
    """An inner resolver that answers a fixed list of addresses for any name."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
                      ) -> list[ResolveResult]:
        return [result(a) for a in self.addresses]

    async def close(self) -> None:
        pass


async def test_the_resolver_returns_only_the_public_addresses():
    resolver = PublicResolver(Answers("10.0.0.1", "93.184.216.34", "fe80::1"))
    assert [r["host"] for r in await resolver.resolve("mixed.test", 80)] == ["93.184.216.34"]


async def test_the_resolver_refuses_a_name_with_only_private_addresses():
    resolver = PublicResolver(Answers("10.1.2.3", "::ffff:192.168.0.1"))
    with pytest.raises(OSError, match=r"^h resolves only to non-public addresses \(10.1.2.3, ::ffff:192.168.0.1\)"):
        await resolver.resolve("h", 80)


# --- config -----------------------------------------------------------------------------------


def test_fetch_config_defaults(tmp_path):
    cfg = load_config(write_yaml(tmp_path / "config.yaml", {"threads": 2}))
    assert cfg.fetch == FetchConfig()
    assert cfg.fetch.allow_private_hosts is False and cfg.fetch.max_bytes == 5_000_000
    assert cfg.fetch.user_agent.startswith("article-bot/")
    assert Config(tmp_path, tmp_path, tmp_path).fetch == FetchConfig()


def test_fetch_config_values(tmp_path):
    cfg = load_config(write_yaml(tmp_path / "config.yaml", {"fetch": {
        "allow_private_hosts": True, "max_bytes": 1024, "timeout": 300, "max_redirects": 0, "user_agent": "x/1"}}))
    assert cfg.fetch == FetchConfig(True, 1024, 300.0, 0, "x/1")
    assert isinstance(cfg.fetch.timeout, float)


def test_the_shipped_config_has_the_default_fetch_section():
    from tests.support.project import REPO

    assert load_config(REPO / "config.yaml").fetch == FetchConfig()


@pytest.mark.parametrize("fetch_section, key", [
    ({"allow_privat_hosts": True}, "fetch.allow_privat_hosts"),
    ({"allow_private_hosts": "yes"}, "fetch.allow_private_hosts"),
    ({"allow_private_hosts": 1}, "fetch.allow_private_hosts"),
    ({"max_bytes": "5MB"}, "fetch.max_bytes"),
    ({"max_bytes": 100}, "fetch.max_bytes"),
    ({"max_bytes": 10**9}, "fetch.max_bytes"),
    ({"max_bytes": 5e6}, "fetch.max_bytes"),
    ({"timeout": 0}, "fetch.timeout"),
    ({"timeout": -1}, "fetch.timeout"),
    ({"timeout": 301}, "fetch.timeout"),
    ({"timeout": "fast"}, "fetch.timeout"),
    ({"timeout": float("nan")}, "fetch.timeout"),
    ({"max_redirects": 21}, "fetch.max_redirects"),
    ({"max_redirects": 2.5}, "fetch.max_redirects"),
    ({"max_redirects": True}, "fetch.max_redirects"),
    ({"user_agent": ""}, "fetch.user_agent"),
    ({"user_agent": 5}, "fetch.user_agent"),
    ({"user_agent": "bot\r\nX-Evil: 1"}, "fetch.user_agent"),
    ([1, 2], "fetch"),
])
def test_fetch_config_errors_name_the_key_and_file(tmp_path, fetch_section, key):
    path = write_yaml(tmp_path / "config.yaml", {"fetch": fetch_section})
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path.resolve()}: key '{key}': ") and "\n" not in message
