"""The ``article-bot`` command: index, add, remove, list, feeds, ask, summary, info, eval, calibrate, bench, run.

Every command takes ``--config`` (default ``./config.yaml``). Errors a user can act on print one
line on stderr and exit non-zero (2 for bad input or config); no traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.cli import answers, library, operate
from bot.errors import ArticleBotError

log = logging.getLogger("bot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="article-bot", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log more (timings, index decisions)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default="config.yaml", type=Path, help="config file (default ./config.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)

    for group in (library, answers, operate):
        group.add_parsers(sub, common)
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
