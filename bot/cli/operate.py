"""``article-bot`` commands that run the bot and read what it recorded: run, sync, stats, export; and bench."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.errors import InputError

if TYPE_CHECKING:  # annotations only: discord.py is imported by the commands that need it
    from bot.config import Config
    from bot.discord.journal import Journal


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.devtools import bench

    def measured(what: str, figures: dict, seconds: float) -> None:
        bench.print_figures(figures)
        print(f"bench: {what} took {seconds:.0f} s", file=sys.stderr, flush=True)

    print("bench: each figure is printed as it is measured; how long each option takes: docs/performance.md",
          file=sys.stderr, flush=True)
    figures = bench.run(load_config(args.config), asks=args.asks, corpus_size=args.corpus_size,
                        build_sample=args.build_sample, cold=not args.no_cold, burst=args.burst,
                        incremental=args.incremental, feed=args.feed, questions_root=args.questions,
                        on_step=measured)
    if args.json:
        print(json.dumps(figures))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.discord.run import check, run

    config = load_config(args.config)
    if args.check:
        check(config)  # raises (exit 2) on anything that would stop `run`
        return 0
    return run(config)


def cmd_preview(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.devtools import preview

    port = preview.DEFAULT_PORT if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise InputError(f"--port must be from 0 to 65535, got {port}")
    return preview.run(load_config(args.config), port=port, locale=args.locale, journal=args.journal,
                       open_browser=not args.no_browser)


def cmd_sync(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.discord.run import run

    return run(load_config(args.config), sync_only=True)


def _journal(args: argparse.Namespace) -> tuple[Journal, Config]:
    """The configured journal, to read. One that does not exist yet reads as an empty one (``memory``: no
    file is created), and ``_no_journal_yet`` says where the bot will create it."""
    from bot.config import load_config
    from bot.discord.journal import Journal

    config = load_config(args.config)
    path = config.discord.feedback_db or config.path.parent / "feedback.sqlite3"
    journal = Journal(path, config.discord.retention_days, memory=not path.is_file())
    journal.prune()  # what is past retention is never shown or exported
    return journal, config


def _no_journal_yet(journal: Journal, file: TextIO | None = None) -> None:
    if journal.memory:
        print(f"no journal yet: {journal.path} is created when the bot answers its first question on Discord "
              "(questions asked with `article-bot ask` are not recorded)", file=file)


def cmd_stats(args: argparse.Namespace) -> int:
    if args.days is not None and not 1 <= args.days <= 3650:
        raise InputError(f"--days must be between 1 and 3650, got {args.days}")
    journal, config = _journal(args)
    stats = journal.stats(args.guild, days_list=(args.days,) if args.days else None)
    if stats is None:
        raise InputError(f"{journal.path}: the journal cannot be read (see the error above)")
    if args.json:
        print(json.dumps(stats.to_json(), ensure_ascii=False))
        return 0
    for w in stats.windows:
        o = w.outcomes
        share = "-" if w.not_covered_share is None else f"{w.not_covered_share:.0%}"
        print(f"last {w.days:>2} day(s): {w.total} questions, {o['answer']} answered, {o['unsure']} unsure, "
              f"{o['not_covered']} not covered ({share}), {o['error']} errors")
    print("most asked, not covered:" + ("" if stats.unanswered else " none"))
    for q, n in stats.unanswered:
        print(f"  {n}× {q}")
    print("worst-rated answers:" + ("" if stats.worst else " none"))
    for r in stats.worst:
        print(f"  👎 {r.down} 👍 {r.up}  {r.question}  → {r.sentence_id or r.article or '-'}")
    kept = f"{config.discord.retention_days} days" if config.discord.retention_days else "until deleted"
    print(f"{stats.all_time} questions in the journal (kept {kept})")
    _no_journal_yet(journal)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``--csv -`` writes the CSV on stdout and what was written on stderr, so it can be piped."""
    journal, _ = _journal(args)
    to_stdout = args.csv == "-"
    if to_stdout:  # the CSV as a file would hold it: UTF-8, with the CSV's own line ends
        sys.stdout.reconfigure(encoding="utf-8", newline="")
    try:
        n = journal.export(args.what, sys.stdout if to_stdout else Path(args.csv))
    except BrokenPipeError:
        raise  # `export ... --csv - | head`: main() ends quietly
    except OSError as err:
        raise InputError(f"{args.csv}: cannot write ({err.strerror})") from None
    if n is None:
        raise InputError(f"{journal.path}: the journal cannot be read (see the error above)")
    notes = sys.stderr if to_stdout else sys.stdout
    print(f"wrote {n} row(s) of {args.what} to {'stdout' if to_stdout else args.csv}", file=notes)
    _no_journal_yet(journal, notes)
    return 0


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """bench, stats, export, sync, run, preview."""
    p = sub.add_parser("bench", parents=[common], help="speed figures (latency, cold start, build, scale)")
    p.add_argument("--json", action="store_true", help="last line of stdout: one JSON object of figures")
    p.add_argument("--asks", type=int, default=500, help="warm asks to time (default 500)")
    p.add_argument("--corpus-size", type=int, help="also index a synthetic corpus of N sentences")
    p.add_argument("--build-sample", type=int, default=200, help="sentences for the build throughput (0: skip)")
    p.add_argument("--no-cold", action="store_true", help="skip the fresh-process cold-start figures")
    p.add_argument("--incremental", type=int, metavar="N",
                   help="also: add one article to a library of N synthetic articles, and start-up on it")
    p.add_argument("--feed", action="store_true",
                   help="also: the dev articles as a feed on 127.0.0.1; time from a poll to answers from them")
    p.add_argument("--questions", type=Path, metavar="PATH",
                   help="dev question files (a file, or a folder of sets with their articles); default: eval/ beside "
                        "the config, when there is one")
    p.add_argument("--burst", action="store_true",
                   help="also 500 questions from 50 users through the bot on SimCord: event-loop lag (test extra)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("stats", parents=[common], help="questions and outcomes, what went unanswered, worst-rated")
    p.add_argument("--days", type=int, help="one window of N days instead of 1, 7 and 30")
    p.add_argument("--guild", type=int, help="one server's id (default: every server)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", parents=[common], help="the journal as CSV: questions, unanswered or feedback")
    p.add_argument("what", choices=["questions", "unanswered", "feedback"])
    p.add_argument("--csv", required=True, help="file to write; - for stdout (./- for a file named -)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("sync", parents=[common], help="sync the slash commands with Discord now (token needed)")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("run", parents=[common], help="run the Discord bot (token from DISCORD_TOKEN)")
    p.add_argument("--check", action="store_true",
                   help="check what run needs (config, articles, index, token, metrics port) and print the "
                        "invite URL; do not connect. Exit 0 only when run would start, 2 otherwise")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("preview", parents=[common],
                       help="try the Discord side in a browser: the real bot on an in-memory Discord (no token)")
    p.add_argument("--port", type=int, default=None,
                   help="port on 127.0.0.1 (default 8765; 0 picks a free one)")
    p.add_argument("--locale", choices=("en", "fr"), default="en",
                   help="the Discord client's language the bot sees (default en)")
    p.add_argument("--journal", type=Path, default=None,
                   help="keep the preview's journal in this file (default: a scratch file, deleted on exit)")
    p.add_argument("--no-browser", action="store_true", help="print the URL only, do not open a browser")
    p.set_defaults(func=cmd_preview)
