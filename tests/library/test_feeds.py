"""bot/library/feeds/ and `article-bot feeds`: RSS and Atom feeds served by a real HTTP server on 127.0.0.1.

What a poll adds is checked where it lands (articles/, the index, the answers); what it asks the site
is checked in the server's request log (conditional GETs, pages fetched again or not). Time is never
waited for: ``now`` is passed to ``poll``, and the one timeout test uses a handler that hangs until
the test ends with a fetch.timeout of a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import logging
from email.utils import formatdate
from xml.sax.saxutils import escape

import pytest
import yaml
from aiohttp import web

from bot.devtools.pages import PageServer
from bot.library import feeds
from bot.library.feeds import polling
from bot.library.feeds.state import load_state
from bot.library.store import remove
from bot.qa.engine import Engine, Scope
from tests.support.cli import cli, snapshot
from tests.support.pages import NEWS_PAGE, SECOND_PAGE
from tests.support.waits import GUARD_S

TRAM_ID = "halverton-approves-blue-line-tram-after-decade-of-debate"  # from the page's title, as `add` makes it
HOSPITAL_ID = "riverside-hospital-opens-a-new-wing"
INTERVAL = 600.0
T0 = 1_750_000_000.0  # "now" of the first poll of a test; later polls pass T0 + something


def story(title: str, *paragraphs: str) -> str:
    """A plain article page without a canonical URL: its address is where it is served."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><article><h1>{escape(title)}</h1>\n{body}\n</article></body></html>")


MARKET = ("Market hall reopens after repairs",
          "The covered market hall on Fennel Square reopened on Saturday after eighteen months of repairs to its "
          "roof and its cast-iron columns, which had been damaged by a storm.",
          "Forty-two traders have returned, among them three bakers and a cheesemonger. The hall will open from "
          "seven in the morning until six in the evening, every day except Monday.")
BRIDGE = ("Footbridge over the Lune to be replaced",
          "The wooden footbridge over the river Lune will be replaced by a steel bridge next spring, the county "
          "engineers said on Thursday, after an inspection found rot in two of its beams.",
          "The new bridge will be four metres wide so that bicycles and pushchairs can pass each other. It will "
          "cost 2.4 million pounds and should take five months to build.")


class Feed:
    """An RSS or Atom feed on the server that the test edits. ``etag`` / ``last_modified``: the server
    sends that validator and answers 304 when the request sends it back."""

    def __init__(self, server: PageServer, path: str = "/feed.xml", kind: str = "rss", etag: bool = True,
                 last_modified: bool = False) -> None:
        self.server, self.path, self.kind = server, path, kind
        self.etag, self.last_modified = etag, last_modified
        self.items: dict[str, dict] = {}
        self.version = 0
        self.url = server.handle(path, self._serve)

    def add(self, guid: str, page_path: str, title: str, summary: str = "", page: str | None = None) -> str:
        """An item linking to ``page_path`` (served ``page`` when given); returns the page URL."""
        link = self.server.page(page_path, page) if page is not None else self.server.url(page_path)
        self.items[guid] = {"guid": guid, "link": link, "title": title, "summary": summary, "updated": self.version}
        self.version += 1
        return link

    def change(self, guid: str, **fields) -> None:
        self.items[guid].update(fields, updated=self.version)
        self.version += 1

    def body(self) -> str:
        def date(n: int) -> str:
            return formatdate(T0 - 86_400 + 60 * n, usegmt=True)

        if self.kind == "atom":
            entries = "".join(
                f"<entry><title>{escape(i['title'])}</title><link href=\"{escape(i['link'])}\"/>"
                f"<id>{escape(i['guid'])}</id><updated>{_iso(T0 - 86_400 + 60 * i['updated'])}</updated>"
                f"<summary>{escape(i['summary'])}</summary></entry>" for i in self.items.values())
            return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                    f"<title>Gazette</title><id>urn:gazette</id><updated>{_iso(T0)}</updated>{entries}</feed>")
        items = "".join(
            f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
            f"<guid isPermaLink=\"false\">{escape(i['guid'])}</guid><pubDate>{date(i['updated'])}</pubDate>"
            f"<description>{escape(i['summary'])}</description></item>" for i in self.items.values())
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Gazette</title>'
                f"<link>https://gazette.example/</link><description>News</description>{items}</channel></rss>")

    async def _serve(self, request: web.Request) -> web.Response:
        body = self.body()
        headers = {}
        if self.etag:
            headers["ETag"] = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        if self.last_modified:
            headers["Last-Modified"] = formatdate(T0 + self.version, usegmt=True)
        if (self.etag and request.headers.get("If-None-Match") == headers["ETag"]) or \
                (self.last_modified and request.headers.get("If-Modified-Since") == headers["Last-Modified"]):
            return web.Response(status=304, headers=headers)
        kind = "application/atom+xml" if self.kind == "atom" else "application/rss+xml"
        return web.Response(text=body, content_type=kind, charset="utf-8", headers=headers)

    def requests(self) -> list[int]:
        """Indexes into server.headers of the requests for this feed."""
        return [n for n, p in enumerate(self.server.requests) if p == self.path]


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def project(make_project):
    """The tram project, allowed to fetch from 127.0.0.1, with its index built; feeds come with ``follow``."""
    project = make_project()
    Engine(project.config())
    return project


def follow(project, *feed_entries, private: bool = True, timeout: float = GUARD_S, max_items: int | None = None):
    """Write ``feeds:`` (URLs or mappings) into the project's config; returns the loaded Config."""
    data = yaml.safe_load(project.config_path.read_text(encoding="utf-8"))
    data["fetch"] = {"allow_private_hosts": private, "timeout": timeout, "max_bytes": 200_000}
    data["feeds"] = [e if isinstance(e, dict) else {"url": e} for e in feed_entries]
    data["feed_polling"] = {"interval": INTERVAL, "state": "feeds.json"}
    if max_items is not None:
        data["feed_polling"]["max_items"] = max_items
    project.config_path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return project.config()


def side(project, art_id: str) -> dict:
    return yaml.safe_load((project.articles / f"{art_id}.yaml").read_text(encoding="utf-8"))


# ----- adding ------------------------------------------------------------------------------------

def test_new_items_are_added_in_one_update_answerable_and_the_next_poll_gets_a_304(project, server, encoders):
    feed = Feed(server)
    tram = feed.add("tram-1", "/news/tram", "Halverton approves Blue Line tram", page=NEWS_PAGE)
    feed.add("hospital-1", "/news/hospital", "Riverside hospital opens a new wing", page=SECOND_PAGE)
    config = follow(project, feed.url)

    report = feeds.poll(config, encoders, now=T0)
    (result,) = report.feeds
    assert [a.id for a in result.added] == [TRAM_ID, HOSPITAL_ID] and report.ok
    assert report.index.changes.added == (TRAM_ID, HOSPITAL_ID)  # both in one index update
    first = result.added[0]
    assert (first.title, first.language, first.url, first.server) == (
        "Halverton approves Blue Line tram after decade of debate", "en", tram, None)
    assert first.sentences == report.index.spans[TRAM_ID][1] - report.index.spans[TRAM_ID][0]
    meta = side(project, TRAM_ID)
    assert (meta["feed"], meta["guid"], "server" in meta) == (feed.url, "tram-1", False)
    assert report.next_due == result.next_due == T0 + INTERVAL
    answer = Engine(config).ask("how many kilometres will the line run", article=TRAM_ID)
    assert "14.2 kilometres" in answer.passage.sentence.text
    assert report.lines()[0] == (f"added {TRAM_ID}: {first.title} [en, {first.sentences} sentences] from {feed.url}")

    pages = len(server.requests)
    again = feeds.poll(config, encoders, now=T0 + INTERVAL)
    assert again.index is None and again.feeds[0].not_modified and again.feeds[0].added == ()
    assert server.requests[pages:] == ["/feed.xml"]  # the feed alone, and it came back 304
    first_ask, second_ask = (server.headers[n] for n in feed.requests())
    assert "If-None-Match" not in first_ask and second_ask["If-None-Match"] == json.loads(
        project.root.joinpath("feeds.json").read_text())["feeds"][feed.url]["etag"]


def test_an_atom_feed_with_last_modified_only(project, server, encoders):
    feed = Feed(server, "/atom.xml", kind="atom", etag=False, last_modified=True)
    feed.add("urn:market", "/market", MARKET[0], page=story(*MARKET))
    config = follow(project, feed.url)
    report = feeds.poll(config, encoders, now=T0)
    assert [a.title for a in report.added] == [MARKET[0]]
    again = feeds.poll(config, encoders, now=T0 + INTERVAL)
    assert again.feeds[0].not_modified and again.index is None
    first_ask, second_ask = (server.headers[n] for n in feed.requests())
    assert "If-Modified-Since" not in first_ask and "If-None-Match" not in second_ask
    assert second_ask["If-Modified-Since"] == formatdate(T0 + feed.version, usegmt=True)


def test_only_the_newest_max_items_are_read(project, server, encoders):
    feed = Feed(server)
    feed.add("old", "/bridge", BRIDGE[0], page=story(*BRIDGE))
    feed.add("new", "/market", MARKET[0], page=story(*MARKET))  # a later pubDate
    report = feeds.poll(follow(project, feed.url, max_items=1), encoders, now=T0)
    assert [a.title for a in report.added] == [MARKET[0]] and "/bridge" not in server.requests


def test_a_feed_for_a_server_gives_its_articles_to_that_server(project, server, encoders):
    feed = Feed(server)
    feed.add("m", "/market", MARKET[0], page=story(*MARKET))
    config = follow(project, {"url": feed.url, "server": 123, "announce_channel": 456})
    (added,) = feeds.poll(config, encoders, now=T0).added
    assert (added.server, added.announce_channel) == ("123", 456)
    assert side(project, added.id)["server"] == "123"
    engine = Engine(config)
    assert added.id in engine.article_ids(Scope("123"))
    assert added.id not in engine.article_ids(Scope("999"))


# ----- duplicates, changes, failures ---------------------------------------------------------------

def test_duplicates_by_text_and_by_url_are_counted_once_and_remembered(capsys, project, server, encoders):
    feed = Feed(server, etag=False)
    feed.add("a", "/market-a", MARKET[0], page=story(*MARKET))
    feed.add("b", "/market-b", MARKET[0] + " (again)", page=story(*MARKET))  # another URL, the same text
    feed.add("tram", "/news/tram", "Tram", page=NEWS_PAGE)
    config = follow(project, feed.url)
    code, _, err = cli(capsys, "add", server.page("/by-hand", NEWS_PAGE), "--config", project.config_path)
    assert code == 0, err  # already in the library by hand: same canonical URL and text as the feed's item
    report = feeds.poll(config, encoders, now=T0)
    (result,) = report.feeds
    assert [a.url for a in result.added] == [server.url("/market-a")] and result.duplicates == 2
    assert result.failed == () and report.index.changes.added == (result.added[0].id,)
    assert len(list(project.articles.glob("market-hall*.txt"))) == 1
    pages = len(server.requests)
    again = feeds.poll(config, encoders, now=T0 + INTERVAL)  # the full feed again (no ETag): nothing re-read
    assert again.feeds[0].duplicates == 0 and again.index is None
    assert server.requests[pages:] == ["/feed.xml"]


def test_a_changed_item_is_re_read_and_only_its_article_embedded_again(project, server, encoders):
    feed = Feed(server)
    feed.add("m", "/market", MARKET[0], page=story(*MARKET))
    feed.add("b", "/bridge", BRIDGE[0], page=story(*BRIDGE))
    config = follow(project, {"url": feed.url, "server": 77})
    first = feeds.poll(config, encoders, now=T0)
    market, bridge = (a.id for a in first.added)
    before = snapshot(project)
    meta = side(project, market)

    corrected = MARKET[2].replace("Forty-two traders", "Forty-five traders")
    server.page("/market", story(MARKET[0], MARKET[1], corrected))
    feed.change("m", summary="Corrected: forty-five traders")
    report = feeds.poll(config, encoders, now=T0 + INTERVAL)
    assert report.feeds[0].updated == (market,) and report.feeds[0].added == ()
    changes = report.index.changes
    assert (changes.edited, changes.added, changes.removed) == ((market,), (), ())
    assert changes.embedded == report.index.spans[market][1] - report.index.spans[market][0]
    after = snapshot(project)
    assert after[f"articles/{bridge}.txt"] == before[f"articles/{bridge}.txt"]
    assert after[f"articles/{bridge}.yaml"] == before[f"articles/{bridge}.yaml"]
    assert "Forty-five traders" in after[f"articles/{market}.txt"].decode()
    assert side(project, market) == meta  # same server, same added_at, same guid
    assert "Forty-five" in Engine(config).ask("how many traders have returned", article=market).passage.sentence.text
    assert report.lines()[0] == f"updated {market}: its page changed, re-read from {feed.url}"

    feed.change("m", summary="A new summary, the same article")  # the entry changed, its page did not
    unchanged = feeds.poll(config, encoders, now=T0 + 2 * INTERVAL)
    assert unchanged.index is None and unchanged.feeds[0].updated == ()
    assert server.requests.count("/market") == 3

    remove(config, market, encoders)  # a moderator takes it out: a later change does not bring it back
    feed.change("m", title="Market hall reopens (updated)")
    gone = feeds.poll(config, encoders, now=T0 + 3 * INTERVAL)
    assert gone.index is None and gone.feeds[0].updated == () and gone.feeds[0].added == ()
    assert not (project.articles / f"{market}.txt").exists() and server.requests.count("/market") == 3


def test_a_failing_item_blocks_nothing_is_retried_and_given_up_after_three_tries(project, server, encoders):
    feed = Feed(server)  # with an ETag: the retries come from the state, the feed answers 304
    missing = feed.add("gone", "/gone", "A story that was taken down")  # nothing served there: 404
    feed.add("m", "/market", MARKET[0], page=story(*MARKET))
    config = follow(project, feed.url)

    first = feeds.poll(config, encoders, now=T0).feeds[0]
    assert [a.title for a in first.added] == [MARKET[0]]
    assert first.failed == (f"{missing}: HTTP 404 Not Found (check the address) (try 1 of 3; tried again at the "
                            "next poll)",)
    second = feeds.poll(config, encoders, now=T0 + INTERVAL).feeds[0]
    assert second.not_modified and second.failed[0].endswith("(try 2 of 3; tried again at the next poll)")
    third = feeds.poll(config, encoders, now=T0 + 2 * INTERVAL).feeds[0]
    assert third.failed[0].endswith("(given up after 3 tries)") and third.error is None
    assert server.requests.count("/gone") == 3
    fourth = feeds.poll(config, encoders, now=T0 + 3 * INTERVAL).feeds[0]
    assert fourth.failed == () and server.requests.count("/gone") == 3
    state = json.loads((project.root / "feeds.json").read_text())["feeds"][feed.url]
    assert state["items"]["gone"]["status"] == "given_up" and state["failures"] == 0


def test_a_changed_item_whose_page_fails_keeps_its_article_and_is_retried_on_a_304(project, server, encoders):
    feed = Feed(server)
    feed.add("m", "/market", MARKET[0], page=story(*MARKET))
    config = follow(project, feed.url)
    (market,) = (a.id for a in feeds.poll(config, encoders, now=T0).added)
    text = (project.articles / f"{market}.txt").read_bytes()
    server.page("/market", "busy", "text/plain", status=503)
    feed.change("m", summary="Corrected")
    failing = feeds.poll(config, encoders, now=T0 + INTERVAL).feeds[0]
    assert failing.updated == () and failing.failed[0].endswith("(try 1 of 3; tried again at the next poll)")
    assert (project.articles / f"{market}.txt").read_bytes() == text
    server.page("/market", story(MARKET[0], MARKET[1], "Forty-five traders have returned to the hall, and the "
                                 "council hopes to welcome more of them before the summer holidays begin."))
    retried = feeds.poll(config, encoders, now=T0 + 2 * INTERVAL)
    assert retried.feeds[0].not_modified and retried.feeds[0].updated == (market,)
    assert retried.index.changes.edited == (market,)


def test_a_poll_running_meanwhile_in_another_process_adds_nothing_twice(project, server, encoders, monkeypatch):
    """Two polls read the same new item at once (cron's and the bot's): the one that commits second,
    under the lock, finds it in the library and counts a duplicate."""
    import threading

    feed = Feed(server, etag=False)
    feed.add("m", "/market", MARKET[0], page=story(*MARKET))
    config = follow(project, feed.url)
    read_feed = polling._read_feed
    other: list = []

    def then_the_other_poll(*args):
        work = read_feed(*args)
        if threading.current_thread() is threading.main_thread():
            # this poll has read the page, not written it: the other one runs to its end meanwhile
            thread = threading.Thread(target=lambda: other.append(feeds.poll(config, encoders, now=T0)))
            thread.start()
            thread.join(GUARD_S)
        return work

    monkeypatch.setattr(polling, "_read_feed", then_the_other_poll)
    mine = feeds.poll(config, encoders, now=T0)
    assert len(other[0].added) == 1 and mine.added == () and mine.feeds[0].duplicates == 1
    assert mine.index is None and len(list(project.articles.glob("market-hall*.txt"))) == 1


# ----- failing feeds ---------------------------------------------------------------------------------

@pytest.mark.parametrize("body, why", [
    ('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off', "(broken XML at line 1, column "),
    ('<?xml version="1.0"?><note><to>Tove</to></note>', "no <rss>, <feed> or <rdf:RDF> element"),
])
def test_a_malformed_feed_is_one_line_and_changes_nothing(capsys, project, server, body, why):
    url = server.page("/feed.xml", body, "application/rss+xml")
    follow(project, url)
    before = snapshot(project)
    code, out, err = cli(capsys, "feeds", "poll", "--config", project.config_path)
    assert code == 1 and err.strip().splitlines() == [err.strip()]
    assert err.startswith(f"feed failed: {url}: ") and why in err
    assert out == "polled 1 feed: 0 added, 0 updated, 0 duplicates, 0 items failed, 1 feed failed, 0 not modified\n"
    assert snapshot(project) == before


def test_a_feed_slower_than_fetch_timeout_is_one_line(project, server, encoders):
    async def hang(request):
        await server.released()
        raise AssertionError("released only at teardown")

    url = server.handle("/slow.xml", hang)
    report = feeds.poll(follow(project, url, timeout=0.3), encoders, now=T0)
    assert report.index is None and not report.ok
    assert report.feeds[0].error.startswith(f"{url}: no complete answer within 0.3 s")


def test_a_feed_on_a_private_address_is_refused_without_allow_private_hosts(project, server, encoders):
    feed = Feed(server)
    report = feeds.poll(follow(project, feed.url, private=False), encoders, now=T0)
    assert "refused: 127.0.0.1 is a private, loopback or reserved address" in report.feeds[0].error
    assert "allow_private_hosts" in report.feeds[0].error and server.requests == []


def test_a_failing_feed_backs_off_then_recovers(project, server, encoders):
    feed = Feed(server)
    feed.add("m", "/market", MARKET[0], page=story(*MARKET))
    broken = {"on": True}
    serve = server.routes[feed.path]

    async def flaky(request):
        return web.Response(status=500) if broken["on"] else await serve(request)

    server.handle(feed.path, flaky)
    config = follow(project, feed.url)
    failed = feeds.poll(config, encoders, now=T0)
    assert failed.feeds[0].error == f"{feed.url}: HTTP 500 Internal Server Error (the site has a problem: try again " \
                                    "later)"
    assert failed.next_due == T0 + 2 * INTERVAL  # one failure: twice the interval
    broken["on"] = False
    skipped = feeds.poll(config, encoders, now=T0 + INTERVAL, due_only=True)
    assert skipped.feeds == () and skipped.next_due == T0 + 2 * INTERVAL and len(server.requests) == 1
    assert skipped.wait(T0 + INTERVAL) == INTERVAL
    recovered = feeds.poll(config, encoders, now=T0 + 2 * INTERVAL, due_only=True)
    assert len(recovered.added) == 1 and recovered.next_due == T0 + 3 * INTERVAL  # back to the interval


def test_retry_after_longer_than_the_backoff_is_honoured(project, server, encoders):
    url = server.page("/busy.xml", "slow down", "text/plain", status=429, headers={"Retry-After": "86400"})
    config = follow(project, url)
    report = feeds.poll(config, encoders, now=T0)
    assert report.feeds[0].error.startswith(f"{url}: HTTP 429") and report.next_due == T0 + 86_400
    assert feeds.poll(config, encoders, now=T0 + 86_000, due_only=True).feeds == ()


def test_a_corrupt_state_file_is_a_warning_and_nothing_is_added_twice(project, server, encoders, caplog):
    feed = Feed(server)
    feed.add("m", "/market", MARKET[0], page=story(*MARKET))
    config = follow(project, feed.url)
    assert len(feeds.poll(config, encoders, now=T0).added) == 1
    state = project.root / "feeds.json"
    state.write_text('{"version": 1, "feeds": {"http://x": {"items": [', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.library.feeds"):
        report = feeds.poll(config, encoders, now=T0 + INTERVAL)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.name for r in caplog.records if r.levelno == logging.WARNING] == ["bot.library.feeds.state"]
    assert len(warnings) == 1 and "cannot be used" in warnings[0] and str(state) in warnings[0]
    assert report.added == () and report.feeds[0].duplicates == 1 and report.index is None  # fetched again
    assert json.loads(state.read_text())["feeds"][feed.url]["items"]["m"]["status"] == "duplicate"


# ----- the command -----------------------------------------------------------------------------------

def test_cli_feeds_poll_and_list(capsys, project, server):
    feed = Feed(server)
    feed.add("m", "/market", MARKET[0], page=story(*MARKET))
    missing = feed.add("gone", "/gone", "Taken down")
    other = Feed(server, "/other.xml")
    other.add("b", "/bridge", BRIDGE[0], page=story(*BRIDGE))
    follow(project, feed.url, {"url": other.url, "server": 123})

    code, out, err = cli(capsys, "feeds", "poll", "--config", project.config_path)
    assert code == 0, err  # a failed item is reported, but every feed was read
    lines = out.splitlines()
    assert lines[0].startswith("added market-hall-reopens-after-repairs: Market hall reopens after repairs [en, ")
    assert lines[0].endswith(f" sentences] from {feed.url}")
    assert lines[1].startswith("added footbridge-over-the-lune-to-be-replaced: ")
    assert lines[2] == "polled 2 feeds: 2 added, 0 updated, 0 duplicates, 1 item failed, 0 feeds failed, " \
                       "0 not modified"
    assert err == f"failed {missing}: HTTP 404 Not Found (check the address) (try 1 of 3; tried again at the next " \
                  "poll)\n"
    code, out, _ = cli(capsys, "ask", "which river will the bridge cross", "--article",
                       "footbridge-over-the-lune-to-be-replaced", "--config", project.config_path)
    assert code == 0 and "Lune" in out

    code, out, _ = cli(capsys, "feeds", "poll", "--json", "--config", project.config_path)
    assert json.loads(out)["feeds"] == []  # polled a moment ago: a cron job every few seconds stays polite
    code, out, _ = cli(capsys, "feeds", "poll", "--config", project.config_path)
    assert code == 0 and out.startswith("skipped ") and "polled less than a minute ago" in out
    assert "(--force polls it now)" in out
    code, out, _ = cli(capsys, "feeds", "poll", "--json", "--force", "--config", project.config_path)
    data = json.loads(out)
    assert code == 0 and data["ok"] and not data["changed"]
    assert [f["not_modified"] for f in data["feeds"]] == [True, True] and len(data["feeds"][0]["failed"]) == 1

    code, out, _ = cli(capsys, "feeds", "list", "--config", project.config_path)
    first, second = out.splitlines()
    assert code == 0 and first.startswith(f"{feed.url} [shared]: last poll 20")
    assert first.endswith("0 failure(s) in a row, 2 item(s) seen, 1 added")
    assert second.startswith(f"{other.url} [server 123]: ") and second.endswith("1 item(s) seen, 1 added")


def test_cli_feeds_without_feeds_says_how_to_configure_them(capsys, project):
    """Polling with no feed is an error for cron (exit 2); listing none is the empty list (exit 0)."""
    code, out, err = cli(capsys, "feeds", "poll", "--config", project.config_path)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "no feeds configured" in err and "`feeds:`" in err
    code, out, err = cli(capsys, "feeds", "list", "--config", project.config_path)
    assert code == 0 and err == "" and out.startswith("no feeds configured in ") and "`feeds:`" in out
    code, out, err = cli(capsys, "feeds", "list", "--json", "--config", project.config_path)
    assert (code, out, err) == (0, "[]\n", "")
    assert cli(capsys, "feeds", "--config", project.config_path, "list", "--json") == (0, "[]\n", "")


def test_a_retry_after_of_years_is_capped_at_max_backoff(project, server, encoders):
    url = server.page("/busy.xml", "slow down", "text/plain", status=429, headers={"Retry-After": "999999999999"})
    config = follow(project, url)
    report = feeds.poll(config, encoders, now=T0)
    assert report.next_due == T0 + config.feed_polling.max_backoff  # not 31,000 years: the feed stays followed


def test_an_article_a_moderator_removed_stays_removed_when_its_item_leaves_and_comes_back(project, server,
                                                                                         encoders):
    feed = Feed(server)
    feed.add("m1", "/market", MARKET[0], page=story(*MARKET))
    config = follow(project, feed.url)
    (added,) = feeds.poll(config, encoders, now=T0).added
    Engine(config).remove(added.id)
    del feed.items["m1"]
    feeds.poll(config, encoders, now=T0 + INTERVAL)  # the item left the feed
    feed.add("m1", "/market", MARKET[0], page=story(*MARKET))
    back = feeds.poll(config, encoders, now=T0 + 2 * INTERVAL)  # ... and is back
    assert back.added == () and not (project.articles / f"{added.id}.txt").exists()


@pytest.mark.parametrize("link", ["C:/secret.txt", "file:///etc/hostname"])
def test_an_item_linking_to_a_path_is_refused_and_the_others_are_added(project, server, encoders, link):
    feed = Feed(server)
    feed.items["bad"] = {"guid": "bad", "link": link, "title": "Secret", "summary": "", "updated": 0}
    feed.add("m1", "/market", MARKET[0], page=story(*MARKET))
    report = feeds.poll(follow(project, feed.url), encoders, now=T0)
    assert [a.title for a in report.added] == [MARKET[0]]
    (failed,) = report.feeds[0].failed
    assert "only http:// and https://" in failed


def test_a_feed_redirecting_to_a_broken_host_name_fails_alone(project, server, encoders):
    broken = server.redirect("/broken.xml", "http://a..b/feed.xml")
    feed = Feed(server)
    feed.add("m1", "/market", MARKET[0], page=story(*MARKET))
    report = feeds.poll(follow(project, broken, feed.url), encoders, now=T0)
    assert "host name is not valid" in report.feeds[0].error and report.feeds[0].error.count("\n") == 0
    assert [a.title for a in report.added] == [MARKET[0]]
    assert load_state(follow(project, broken, feed.url))[broken]["failures"] == 1  # its backoff is kept


def test_an_article_removed_after_its_item_left_the_feed_stays_removed_when_it_returns(project, server,
                                                                                      encoders):
    feed = Feed(server)
    feed.add("m1", "/market", MARKET[0], page=story(*MARKET))
    config = follow(project, feed.url)
    (added,) = feeds.poll(config, encoders, now=T0).added
    del feed.items["m1"]
    feeds.poll(config, encoders, now=T0 + INTERVAL)  # the item left the feed; its article stays
    Engine(config).remove(added.id)  # ... and a moderator removes it afterwards
    feed.add("m1", "/market", MARKET[0], page=story(*MARKET))
    assert feeds.poll(config, encoders, now=T0 + 2 * INTERVAL).added == ()
