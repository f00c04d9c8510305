"""``article-bot`` commands for the library: index, add, remove, list, feeds poll, feeds list."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import InputError

if TYPE_CHECKING:  # annotations only: the engine loads the models
    from bot.config import Config
    from bot.qa.engine import Engine


def open_engine(args: argparse.Namespace, force: bool = False) -> Engine:
    """The engine of ``--config`` (``force``: re-encode everything)."""
    from bot.config import load_config
    from bot.qa.engine import Engine

    return Engine(load_config(args.config), force_rebuild=force)


def cmd_index(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    engine = open_engine(args, force=args.force)
    m = engine.index.manifest
    print(f"index ready in {engine.config.index_dir}: {m['sentences']} sentences, "
          f"{len(m['articles'])} article(s), encoders {', '.join(e['id'] for e in m['encoders'].values())} "
          f"({time.perf_counter() - start:.1f} s)")
    print(engine.info()["calibration"])
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.library.store import add

    start = time.perf_counter()
    index, art_id = add(load_config(args.config), args.source, args.id)
    info = index.article(art_id)
    print(f"added {art_id}: {info.sentences} sentences, {info.language} — {info.title}"
          + (f" ({info.url})" if info.url else "") + f" [{time.perf_counter() - start:.1f} s]")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.library.store import remove

    index = remove(load_config(args.config), args.id)
    print(f"removed {args.id}: {len(index.articles)} article(s), {len(index.rows)} sentences left")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.index.maintenance import ensure_index, load_encoders
    from bot.library.store import listing

    config = load_config(args.config)
    entries = listing(ensure_index(config, load_encoders(config)))
    if args.json:
        print(json.dumps(entries, ensure_ascii=False))
        return 0
    for e in entries:
        if e.get("skipped"):
            print(f"! {e['file']}: skipped — {e['skipped']}")
            continue
        owner = f"server {e['server']}" if e.get("server") else "shared"
        print(f"{e['id']}: {e['title']} [{e['language']}, {e['sentences']} sentences, {owner}]"
              + (f" {e['url']}" if e.get("url") else "") + (f" (added {e['added_at']})" if e.get("added_at") else "")
              + (f" from feed {e['feed']}" if e.get("feed") else ""))
    return 0


#: ``article-bot feeds poll --help``: what it prints where, and its exit codes (for cron).
FEEDS_POLL = ("stdout: one line per article added or updated, then a summary line; stderr: one line per item that "
              "could not be added and per feed that could not be read, so that cron with '>/dev/null' mails only "
              "the problems. Exit code: 0 when every feed was read, even if some items failed (their sites' "
              "problem, tried again at the next polls); 1 when a feed could not be read or parsed (its address "
              "or the site needs a look); 2 for a bad config or no feeds configured. A feed polled less than a "
              "minute ago, or backing off after errors or a Retry-After, is skipped with a line saying until "
              "when, so that a frequent cron job stays polite; --force polls it anyway.")


def feeds_config(args: argparse.Namespace) -> Config:
    """The config of ``--config``, refused when it follows no feed."""
    from bot.config import load_config

    config = load_config(args.config)
    if not config.feeds:
        raise InputError(f"{config.path}: no feeds configured; add a `feeds:` list of RSS/Atom feed URLs, e.g. "
                         "`feeds: [https://example.com/rss.xml]`, or entries like `{url: ..., server: <guild id>, "
                         "announce_channel: <channel id>}`")
    return config


def cmd_feeds_poll(args: argparse.Namespace) -> int:
    """Poll every configured feed once, now (the running bot polls them on its own schedule); see FEEDS_POLL."""
    from bot.clock import utc_text as when
    from bot.config import MIN_FEED_INTERVAL
    from bot.library.feeds import poll, status

    config = feeds_config(args)
    report = poll(config, force=args.force)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return 0 if report.ok else 1
    polled = {r.feed.url for r in report.feeds}
    for s in status(config):
        if s.feed.url not in polled:
            if s.failures:
                why, due = f"backing off after {s.failures} failed poll(s)", s.next_due
            else:
                why, due = "polled less than a minute ago", (s.last_poll or 0) + MIN_FEED_INTERVAL
            print(f"skipped {s.feed.url}: {why}; due {when(due)} (--force polls it now)")
    for result in report.feeds:
        for line in result.lines():
            print(line, file=sys.stderr if line.startswith(("failed ", "feed failed")) else sys.stdout)
    print(report.summary())
    return 0 if report.ok else 1


def cmd_feeds_list(args: argparse.Namespace) -> int:
    """The configured feeds as the last polls left them (read from the state file; nothing is fetched)."""
    from bot.clock import utc_text as when
    from bot.config import load_config
    from bot.library.feeds import status

    config = load_config(args.config)
    if not config.feeds:  # none followed yet: a normal state, like an empty library
        if args.json:
            print("[]")
        else:
            print(f"no feeds configured in {config.path}; add a `feeds:` list of RSS/Atom feed URLs to follow some")
        return 0
    states = status(config)
    if args.json:
        print(json.dumps([{"url": s.feed.url, "server": s.feed.server, "announce_channel": s.feed.announce_channel,
                           "last_poll": s.last_poll, "failures": s.failures, "items": s.items,
                           "articles": s.articles, "next_due": s.next_due, "error": s.error} for s in states]))
        return 0
    for s in states:
        print(f"{s.feed.url} [{'server ' + s.feed.server if s.feed.server else 'shared'}]: last poll "
              f"{when(s.last_poll)}, {s.failures} failure(s) in a row, {s.items} item(s) seen, "
              f"{s.articles} added" + (f"; last error: {s.error}" if s.error else ""))
    return 0


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """index, add, remove, list, feeds."""
    p = sub.add_parser("index", parents=[common], help="build the index (only what is stale, or all with --force)")
    p.add_argument("--force", action="store_true", help="rebuild even when the saved index matches")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("add", parents=[common], help="add an article: a .txt/.md/.html file or an http(s) URL")
    p.add_argument("source", help="file path or URL")
    p.add_argument("--id", help="article id (default: made from its title, as `list` shows it: the "
                                "sidecar's or page's title, else its first line; else from the file name)")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", parents=[common], help="remove an article (its file, sidecar and index rows)")
    p.add_argument("id", help="article id, as `article-bot list` shows it")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("list", parents=[common], help="the articles: id, title, language, sentences, URL, added")
    p.add_argument("--json", action="store_true", help="last line of stdout: a JSON list, one object per article")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("feeds", help="RSS/Atom feeds (`feeds:` in config.yaml): poll them now, list them")
    # `feeds --config F list` too: --config may come anywhere before or after the command's words
    p.add_argument("--config", dest="config_group", type=Path, default=None, help=argparse.SUPPRESS)
    feeds = p.add_subparsers(dest="feeds_command", required=True)
    f = feeds.add_parser("poll", parents=[common], help="poll every feed once and add its new articles",
                         description=FEEDS_POLL)
    f.add_argument("--json", action="store_true", help="print one JSON object")
    f.add_argument("--force", action="store_true", help="also poll feeds polled a moment ago or backing off")
    f.set_defaults(func=cmd_feeds_poll)
    f = feeds.add_parser("list", parents=[common], help="each feed: server, last poll, failures, items seen")
    f.add_argument("--json", action="store_true", help="print one JSON list")
    f.set_defaults(func=cmd_feeds_list)
