"""``article-bot`` commands that answer: ask, summary, info, eval, calibrate."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.library import open_engine
from bot.errors import InputError

if TYPE_CHECKING:  # annotations only: the engine's values import numpy
    from bot.qa.answer import Summary


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.qa.render import answer_dict, answer_text

    engine = open_engine(args)
    answer = engine.ask(args.question, k=args.k, article=args.article)
    if args.json:
        print(json.dumps(answer_dict(answer), ensure_ascii=False))
    else:  # the answer span in bold on a terminal, between asterisks in a pipe or file
        print(answer_text(answer, ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("*", "*")))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    summary = engine.summary(length=args.length, focus=args.focus, article=args.article)
    if args.json:
        print(json.dumps({
            "article": summary.article, "title": summary.title, "chosen": str(summary.chosen),
            "articles_in_scope": summary.among, "length": summary.length, "focus": summary.focus,
            "sentences": [{"text": s.text, "paragraph": s.paragraph, "sentence": s.number}
                          for s in summary.sentences]}, ensure_ascii=False))
        return 0
    print(picked_note(summary) if summary.picked else summary.title)
    if args.key_points:
        for s in summary.sentences:
            print(f"  • {s.text}")
    else:
        print("  " + " ".join(s.text for s in summary.sentences))
    return 0


def picked_note(summary: Summary) -> str:
    """The line that names an article the engine picked among several, and how to pick another."""
    from bot.qa.answer import Chosen

    why = (f"the most recently added of {summary.among} articles" if summary.chosen is Chosen.NEWEST
           else f"the first by id of {summary.among} articles (none says when it was added)")
    return f"Summary of {summary.title} ({summary.article}), {why}; pick another with --article ID"


def cmd_info(args: argparse.Namespace) -> int:
    info = open_engine(args).info()
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
    if args.distractors is not None:
        return eval_growth(args, items)
    engine = open_engine(args)
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


def sizes(text: str) -> list[int]:
    """``--distractors 0,50,200``: the library sizes to pad to."""
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas (0,50,200,400), got {text!r}") from None
    if not values or any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected numbers of 0 or more (0,50,200,400), got {text!r}")
    return values


def eval_growth(args: argparse.Namespace, items: list) -> int:
    """``eval --distractors``: one row per library size, printed as it is measured."""
    from bot.config import load_config
    from bot.devtools.growth import growth

    if args.distractor_data is None:
        raise InputError("--distractors needs --distractor-data DIR: a folder of SQuAD-format .json files "
                         "(for example the reader's training data) to make the distractor articles from")
    heads = ("extra", "articles", "sents", "top1", "top3", "f_abst", "trap", "unrel", "p50 ms")
    print("".join(f"{h:>9}" for h in heads), flush=True)
    rows = []
    for row in growth(load_config(args.config), items, args.distractors, args.distractor_data, args.distractor_cache):
        m = row.figures
        cells = [row.distractors, row.articles, row.sentences, m["top1"], m["top3"], m["false_abstain"],
                 m["trap_abstain"], m["unrelated_abstain"], row.p50_ms]
        print("".join(f"{'-':>9}" if c is None else f"{c:>9}" if isinstance(c, int) else f"{c:>9.2f}"
                      for c in cells), flush=True)
        rows.append(row.to_json())
    if args.json:
        print(json.dumps({"growth": rows}))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    import numpy as np

    from bot.confidence.fit import calibrate, observe
    from bot.confidence.model import INDEX_FILE, read_calibrations, write_calibrations
    from bot.corpus.questions import load_questions

    engine = open_engine(args)
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


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """ask, summary, info, eval, calibrate."""
    p = sub.add_parser("ask", parents=[common], help="answer a question from the article(s)")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=3, help="passages to return (1-10, default 3)")
    p.add_argument("--article", help="article id (default: config default_article, else all articles)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("summary", parents=[common], help="extractive summary of an article")
    p.add_argument("--length", choices=["short", "medium", "long"], default="medium")
    p.add_argument("--focus", help="a topic to focus on, e.g. 'patents'")
    p.add_argument("--article", help="article id (default: config default_article, else the most recently "
                                     "added; the output says which)")
    p.add_argument("--key-points", action="store_true", help="bulleted key points")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("info", parents=[common], help="articles and the index manifest")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("eval", parents=[common], help="measure answer quality on a question file")
    p.add_argument("questions", type=Path, help="a question file (format: docs/eval-format.md)")
    p.add_argument("--json", action="store_true", help="last line of stdout: one JSON object of figures")
    p.add_argument("--verbose", dest="per_question", action="store_true", help="one line per question")
    p.add_argument("--distractors", type=sizes, metavar="N,N,...",
                   help="also ask in the library padded with N distractor articles, for each N (e.g. 0,50,200,400): "
                        "one row per N")
    p.add_argument("--distractor-data", type=Path, metavar="DIR",
                   help="SQuAD-format .json files the distractors are made from (English and French paragraphs)")
    p.add_argument("--distractor-cache", type=Path, metavar="DIR",
                   help="keep the distractors' vectors here, so a second run embeds nothing (default: a scratch "
                        "folder)")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("calibrate", parents=[common],
                       help="fit the confidence for the configured encoders on question files")
    p.add_argument("questions", type=Path, nargs="+", help="question files (docs/eval-format.md), two articles or more")
    p.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    p.add_argument("--json", action="store_true", help="last line of stdout: the fit and its figures as JSON")
    p.set_defaults(func=cmd_calibrate)
