"""Follow RSS and Atom feeds: every new item's page becomes an article, added and indexed like ``article-bot add``.

One poll reads each feed once (the running bot: only the feeds that are due; ``article-bot feeds poll``:
all of them), fetches the page of every item it has not seen, and writes and indexes everything it
found in ONE ``library.commit``: one poll is one index update, whatever the number of feeds and items.

**What is new.** An item is known by its guid (Atom ``id``, RSS ``guid``), else its link; the keys
seen are remembered per feed. A new key's page goes through ``library.prepare`` like any added
article, so the library's own checks decide what is a duplicate: the same source URL or the same text
(SHA-256 of the extracted text) as an article already there, or as another item of the same poll. A
duplicate is counted and remembered, not reported as a failure: the same story is often in two feeds.
The article id is made from the page's title, as ``article-bot add`` makes it (``-2``, ``-3``... when
another article has it).

**Changed items.** Each key also keeps a fingerprint of its entry (updated date, title, summary,
content). When it changes, the page is read again and, if its text changed, the article is rewritten in
place (same id, same server, same ``added_at``): only it is embedded again. An article a moderator
removed meanwhile stays removed: a feed never brings back what a person took out.

**Failures.** A page that cannot be read (404, timeout, not an article) is one line in the report and
blocks nothing else; it is tried again at the next polls (from the state, even when the feed itself is
unchanged), ``MAX_ATTEMPTS`` times in all, then remembered as given up. A changed item whose page cannot
be read keeps its article as it was, and is tried again the same way. A feed that cannot be read or
parsed is one line too and changes nothing.

**Politeness.** Feeds are fetched with the ETag and Last-Modified of the last copy (``bot/corpus/fetch.py``), so
an unchanged feed costs the site a bodiless 304. The bot polls a feed every ``interval`` seconds (its
own, else ``feed_polling.interval``; never under ``MIN_FEED_INTERVAL``); after ``n`` failed polls in a
row it waits ``interval × 2^n``, at most ``feed_polling.max_backoff``, or the site's Retry-After if
that is longer. Every URL goes through fetch's rules: private addresses are refused unless
``fetch.allow_private_hosts``.

**State** lives in one JSON file, ``feed_polling.state`` (``feeds.json`` next to config.yaml by
default): per feed URL its validators, last poll, failures, Retry-After and the items of its current
entries (``{key: {id, fingerprint, status, attempts, link, title, pending}}``; ``pending``: the
fingerprint of a change whose page could not be read yet); keys that left the feed are
pruned (``check_new`` still catches a story that comes back). It is replaced atomically; a missing file
starts empty, a corrupt one too, with one warning: the worst case is pages fetched again and counted
as duplicates, and articles removed by a moderator added again if their items are still in the feed.
Records of removed articles are kept when their items leave the feed, so a story that comes back
stays removed.

**Concurrency.** Fetching and extracting run without the library lock, so an ``/article add`` need
not wait for slow sites. Then, under ``library.lock`` (which works across processes), the pages are
checked again (``check_new`` against what was added meanwhile), committed, and the state re-read and
written back with this poll's feeds replaced: ``article-bot feeds poll`` from cron while the bot runs
adds nothing twice (the later poll counts duplicates). Everything here is
synchronous: the bot runs ``poll`` in a worker thread.

**Where it is.** ``polling.py``: one poll, its two phases (read without the lock, write under it);
``entries.py``: a fetched feed's entries (feedparser); ``state.py``: the state file, when a feed is
due, ``status``; ``report.py``: what a poll and ``article-bot feeds list`` report. ``poll`` and
``status`` are this package's public face.
"""

from bot.library.feeds.polling import poll
from bot.library.feeds.report import Added, FeedResult, FeedStatus, PollReport
from bot.library.feeds.state import status

__all__ = ["Added", "FeedResult", "FeedStatus", "PollReport", "poll", "status"]
