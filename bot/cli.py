"""The ``article-bot`` command: index, ask, summary, info, eval, run.

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

from .errors import ArticleBotError

log = logging.getLogger("bot")


def _engine(args, force: bool = False):
    from .config import load_config
    from .engine import Engine

    return Engine(load_config(args.config), force_rebuild=force)


def cmd_index(args) -> int:
    start = time.perf_counter()
    engine = _engine(args, force=args.force)
    m = engine.index.manifest
    print(f"index ready in {engine.config.index_dir}: {m['sentences']} sentences, "
          f"{len(m['articles'])} article(s), encoders {', '.join(e['id'] for e in m['encoders'].values())} "
          f"({time.perf_counter() - start:.1f} s)")
    return 0


def cmd_ask(args) -> int:
    from .render_text import answer_dict, answer_text

    engine = _engine(args)
    answer = engine.ask(args.question, k=args.k, article=args.article)
    print(json.dumps(answer_dict(answer), ensure_ascii=False) if args.json else answer_text(answer))
    return 0


def cmd_summary(args) -> int:
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


def cmd_info(args) -> int:
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
    return 0


def cmd_eval(args) -> int:
    from .evaluate import by_language, load_questions, metrics, run_eval

    items = load_questions(args.questions)
    engine = _engine(args)
    start = time.perf_counter()
    outcomes = run_eval(engine, items)
    elapsed = time.perf_counter() - start
    overall = metrics(outcomes)
    header = f"{'lang':6}{'n_on':>6}{'n_off':>6}{'top1':>7}{'top3':>7}{'mrr':>7}{'abst':>7}{'f_abst':>8}"
    print(header)
    for lang, m in [*by_language(outcomes).items(), ("all", overall)]:
        print(f"{lang:6}{m['n_on']:>6}{m['n_off']:>6}{m['top1']:>7.2f}{m['top3']:>7.2f}{m['mrr']:>7.2f}"
              f"{m['abstain_recall']:>7.2f}{m['false_abstain']:>8.2f}")
    times = sorted(o.seconds * 1000 for o in outcomes)
    print(f"{len(items)} questions in {elapsed:.2f} s; warm ask latency p50 {times[len(times) // 2]:.1f} ms, "
          f"p90 {times[int(len(times) * 0.9)]:.1f} ms")
    if args.verbose:
        for o in outcomes:
            ok = ("OK " if o.rank == 1 else f"r{o.rank} " if o.rank else "-- ") if o.item.gold else \
                ("OK " if o.abstained else "XX ")
            print(f"{ok}[{o.language}] {o.item.q}  (conf {o.confidence:.2f}{', abstained' if o.abstained else ''})"
                  + ("" if o.rank == 1 or o.abstained else f"\n      → {o.answer}"))
    if args.json:
        print(json.dumps(overall))
    return 0


def cmd_bench(args) -> int:
    from . import bench
    from .config import load_config

    figures = bench.run(load_config(args.config), asks=args.asks, corpus_size=args.corpus_size,
                        build_sample=args.build_sample, cold=not args.no_cold, burst=args.burst)
    bench.print_figures(figures, args.json)
    return 0


def cmd_run(args) -> int:
    from .config import load_config
    from .discord.run import check, run

    config = load_config(args.config)
    return check(config) if args.check else run(config)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="article-bot", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log more (timings, index decisions)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default="config.yaml", type=Path, help="config file (default ./config.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", parents=[common], help="build the index (only what is stale, or all with --force)")
    p.add_argument("--force", action="store_true", help="rebuild even when the saved index matches")
    p.set_defaults(func=cmd_index)

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
    p.add_argument("--verbose", dest="verbose", action="store_true", help="one line per question")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("bench", parents=[common], help="speed figures (latency, cold start, build, scale)")
    p.add_argument("--json", action="store_true", help="last line of stdout: one JSON object of figures")
    p.add_argument("--asks", type=int, default=500, help="warm asks to time (default 500)")
    p.add_argument("--corpus-size", type=int, help="also index a synthetic corpus of N sentences")
    p.add_argument("--build-sample", type=int, default=200, help="sentences for the build throughput (0: skip)")
    p.add_argument("--no-cold", action="store_true", help="skip the fresh-process cold-start figures")
    p.add_argument("--burst", action="store_true",
                   help="also 500 questions from 50 users through the bot on SimCord: event-loop lag (test extra)")
    p.set_defaults(func=cmd_bench)

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
