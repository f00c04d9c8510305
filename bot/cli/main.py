"""The ``article-bot`` command: index, add, remove, list, feeds, ask, summary, info, eval, calibrate, bench, run.

Every command takes ``--config`` (default ``./config.yaml``). Errors a user can act on print one
line on stderr and exit non-zero (2 for bad input or config); no traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from bot.errors import ArticleBotError, InputError

log = logging.getLogger("bot")


def _engine(args: argparse.Namespace, force: bool = False):
    from bot.config import load_config
    from bot.qa.engine import Engine

    return Engine(load_config(args.config), force_rebuild=force)


def cmd_index(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    engine = _engine(args, force=args.force)
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


def _feeds_config(args: argparse.Namespace):
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

    config = _feeds_config(args)
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
    from bot.library.feeds import status

    states = status(_feeds_config(args))
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


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.qa.render import answer_dict, answer_text

    engine = _engine(args)
    answer = engine.ask(args.question, k=args.k, article=args.article)
    if args.json:
        print(json.dumps(answer_dict(answer), ensure_ascii=False))
    else:  # the answer span in bold on a terminal, between asterisks in a pipe or file
        print(answer_text(answer, ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("*", "*")))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    engine = _engine(args)
    summary = engine.summary(length=args.length, focus=args.focus, article=args.article)
    if args.json:
        print(json.dumps({
            "article": summary.article, "title": summary.title, "length": summary.length,
            "focus": summary.focus,
            "sentences": [{"text": s.text, "paragraph": s.paragraph, "sentence": s.number}
                          for s in summary.sentences]}, ensure_ascii=False))
        return 0
    print(summary.title)
    if args.key_points:
        for s in summary.sentences:
            print(f"  • {s.text}")
    else:
        print("  " + " ".join(s.text for s in summary.sentences))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    info = _engine(args).info()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, default=str))
        return 0
    for a in info["articles"]:
        print(f"{a['id']}: {a['title']} [{a['language']}, {a['sentences']} sentences]"
              + (f" — {a['source']}" if a.get("source") else ""))
    m = info["manifest"]
    print(f"index: {info['index_dir']}")
    for key in ("format_version", "metric", "sentences", "vocabulary", "built_at", "build_seconds"):
        print(f"  {key}: {m.get(key)}")
    for role, enc in m["encoders"].items():
        print(f"  encoder {role}: {enc['id']} (dim {enc['dim']})")
    print("  versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    r = info["reader"]
    print(f"reader: {r['id']}, {r['layers']} layers of multilingual-e5-small, reads {r['k']} sentences"
          if r else "reader: off (retrieval.reader: null)")
    print(info["calibration"])
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.corpus.questions import load_questions
    from bot.qa.evaluate import by_language, metrics, run_eval

    items = load_questions(args.questions)
    engine = _engine(args)
    start = time.perf_counter()
    outcomes = run_eval(engine, items)
    elapsed = time.perf_counter() - start
    overall = metrics(outcomes)
    columns = ("n_on", "n_off", "top1", "top3", "mrr", "abstain_recall", "false_abstain", "trap_abstain",
               "unrelated_abstain", "span_hit", "ece")
    heads = ("n_on", "n_off", "top1", "top3", "mrr", "abst", "f_abst", "trap", "unrel", "span", "ece")
    print(f"{'lang':6}" + "".join(f"{h:>7}" for h in heads))
    for lang, m in [*by_language(outcomes).items(), ("all", overall)]:
        cells = [f"{m[c]:>7}" if isinstance(m[c], int) else f"{'-':>7}" if m[c] is None else f"{m[c]:>7.2f}"
                 for c in columns]
        print(f"{lang:6}" + "".join(cells))
    times = sorted(o.seconds * 1000 for o in outcomes)
    print(f"{len(items)} questions in {elapsed:.2f} s; warm ask latency p50 {times[len(times) // 2]:.1f} ms, "
          f"p90 {times[int(len(times) * 0.9)]:.1f} ms")
    if args.per_question:
        for o in outcomes:
            ok = ("OK " if o.rank == 1 else f"r{o.rank} " if o.rank else "-- ") if o.item.gold else \
                ("OK " if o.abstained else "XX ")
            print(f"{ok}[{o.language}] {o.item.q}  (conf {o.confidence:.2f}, {o.tier}, {o.sentence_id})"
                  + ("" if o.rank == 1 or o.abstained else f"\n      → {o.answer}"))
    if args.json:
        print(json.dumps(overall))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    import numpy as np

    from bot.confidence.fit import calibrate, observe
    from bot.confidence.model import INDEX_FILE, read_calibrations, write_calibrations
    from bot.corpus.questions import load_questions

    engine = _engine(args)
    obs = []
    for path in args.questions:  # a file's questions are one group for leave-one-out, unless they name articles
        obs += observe(engine, load_questions(path), path.parent.name if path.stem == "questions" else path.stem)
    groups = sorted({o.group for o in obs})
    if len(groups) < 2 or all(o.covered for o in obs) or not any(o.right for o in obs):
        raise InputError("calibrate needs questions about at least two articles (files, or items with "
                         "'article:'), with on-topic items it gets right and off-topic items (gold: [])")
    calibration, held = calibrate(obs, engine.encoder_key, ", ".join(str(p) for p in args.questions))
    print(f"encoders {engine.encoder_key}: {len(obs)} questions, {len(groups)} groups; "
          f"abstain_threshold {calibration.abstain_threshold}, answer_threshold {calibration.answer_threshold}")
    print("leave-one-group-out (each group scored by a fit that did not see it):")
    rows = {g: held.figures(calibration.abstain_threshold, np.array([o.group == g for o in obs])) for g in groups}
    rows["all"] = held.figures(calibration.abstain_threshold)
    for group, m in rows.items():
        print(f"  {group:24} on {m['n_on']:4} off {m['n_off']:3}  top1 {m['top1']}  false_abstain "
              f"{m['false_abstain']}  unrelated_abstain {m['unrelated_abstain']}  trap_abstain "
              f"{m['trap_abstain']}  ece {m['ece']}")
    target = engine.config.index_dir / INDEX_FILE
    if not args.dry_run:
        fits = read_calibrations(target) if target.is_file() else {}
        fits[engine.encoder_key] = calibration
        write_calibrations(target, fits)
        print(f"wrote {target}: the engine uses it from the next start")
    if args.json:
        print(json.dumps({"key": engine.encoder_key, **calibration.to_json(), "leave_one_out": rows}))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.devtools import bench

    figures = bench.run(load_config(args.config), asks=args.asks, corpus_size=args.corpus_size,
                        build_sample=args.build_sample, cold=not args.no_cold, burst=args.burst,
                        incremental=args.incremental, feed=args.feed)
    bench.print_figures(figures, args.json)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.discord.run import check, run

    config = load_config(args.config)
    return check(config) if args.check else run(config)


def cmd_sync(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.discord.run import run

    return run(load_config(args.config), sync_only=True)


def _journal(args: argparse.Namespace):
    from bot.config import load_config
    from bot.discord.journal import Journal

    config = load_config(args.config)
    path = config.discord.feedback_db or config.path.parent / "feedback.sqlite3"
    if not path.is_file():
        raise InputError(f"{path}: no journal yet (it is created when the bot answers its first question)")
    journal = Journal(path, config.discord.retention_days)
    journal.prune()  # what is past retention is never shown or exported
    return journal, config


def cmd_stats(args: argparse.Namespace) -> int:
    journal, config = _journal(args)
    if args.days is not None and not 1 <= args.days <= 3650:
        raise InputError(f"--days must be between 1 and 3650, got {args.days}")
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
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    journal, _ = _journal(args)
    try:
        n = journal.export(args.what, args.csv)
    except OSError as err:
        raise InputError(f"{args.csv}: cannot write ({err.strerror})") from None
    if n is None:
        raise InputError(f"{journal.path}: the journal cannot be read (see the error above)")
    print(f"wrote {n} row(s) of {args.what} to {args.csv}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="article-bot", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log more (timings, index decisions)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default="config.yaml", type=Path, help="config file (default ./config.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", parents=[common], help="build the index (only what is stale, or all with --force)")
    p.add_argument("--force", action="store_true", help="rebuild even when the saved index matches")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("add", parents=[common], help="add an article: a .txt/.md/.html file or an http(s) URL")
    p.add_argument("source", help="file path or URL")
    p.add_argument("--id", help="article id (default: from its title, else the file name)")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", parents=[common], help="remove an article (its file, sidecar and index rows)")
    p.add_argument("id", help="article id, as `article-bot list` shows it")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("list", parents=[common], help="the articles: id, title, language, sentences, URL, added")
    p.add_argument("--json", action="store_true", help="last line of stdout: a JSON list, one object per article")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("feeds", help="RSS/Atom feeds (`feeds:` in config.yaml): poll them now, list them")
    feeds = p.add_subparsers(dest="feeds_command", required=True)
    f = feeds.add_parser("poll", parents=[common], help="poll every feed once and add its new articles",
                         description=FEEDS_POLL)
    f.add_argument("--json", action="store_true", help="print one JSON object")
    f.add_argument("--force", action="store_true", help="also poll feeds polled a moment ago or backing off")
    f.set_defaults(func=cmd_feeds_poll)
    f = feeds.add_parser("list", parents=[common], help="each feed: server, last poll, failures, items seen")
    f.add_argument("--json", action="store_true", help="print one JSON list")
    f.set_defaults(func=cmd_feeds_list)

    p = sub.add_parser("ask", parents=[common], help="answer a question from the article(s)")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=3, help="passages to return (1-10, default 3)")
    p.add_argument("--article", help="article id (default: config default_article, else all articles)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("summary", parents=[common], help="extractive summary of an article")
    p.add_argument("--length", choices=["short", "medium", "long"], default="medium")
    p.add_argument("--focus", help="a topic to focus on, e.g. 'patents'")
    p.add_argument("--article", help="article id (default: config default_article, else the first)")
    p.add_argument("--key-points", action="store_true", help="bulleted key points")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("info", parents=[common], help="articles and the index manifest")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("eval", parents=[common], help="measure answer quality on a question file")
    p.add_argument("questions", type=Path)
    p.add_argument("--json", action="store_true", help="last line of stdout: one JSON object of figures")
    p.add_argument("--verbose", dest="per_question", action="store_true", help="one line per question")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("calibrate", parents=[common],
                       help="fit the confidence for the configured encoders on question files")
    p.add_argument("questions", type=Path, nargs="+", help="question files (EVAL_FORMAT.md), two articles or more")
    p.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    p.add_argument("--json", action="store_true", help="last line of stdout: the fit and its figures as JSON")
    p.set_defaults(func=cmd_calibrate)

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
    p.add_argument("--csv", type=Path, required=True, help="file to write")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("sync", parents=[common], help="sync the slash commands with Discord now (token needed)")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("run", parents=[common], help="run the Discord bot (token from DISCORD_TOKEN)")
    p.add_argument("--check", action="store_true",
                   help="validate config, articles and index, print the invite URL; do not connect")
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="article-bot: %(message)s", stream=sys.stderr)
    logging.getLogger("bot").setLevel(logging.DEBUG if args.verbose else logging.INFO)
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets itself to DEBUG on import
    try:
        return args.func(args)
    except ArticleBotError as err:
        print(f"article-bot: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
