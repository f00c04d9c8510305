"""The ``article-bot`` command: one subcommand per job, registered by ``library``, ``answers`` and ``operate``.

``--help`` lists them from the parser itself (``build_parser``), so a new command is listed where it is
registered and nowhere else. Help texts are plain text: no reStructuredText markup reaches a terminal.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from bot.cli import answers, library, operate
from bot.errors import ArticleBotError

log = logging.getLogger("bot")


#: The config file a command reads when no --config is given.
DEFAULT_CONFIG = Path("config.yaml")

#: After the list of commands in ``article-bot --help``.
EPILOG = ("Every command takes --config PATH (default ./config.yaml); `article-bot COMMAND --help` says more. "
          "Errors a user can act on print one line on stderr and exit non-zero (2 for bad input or config), "
          "with no traceback.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="article-bot", epilog=EPILOG)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more (timings, index decisions)")
    # --config goes before the command or after it: `article-bot --config my.yaml list` and `article-bot list
    # --config my.yaml` read the same file (after the command wins when both are given).
    parser.add_argument("--config", dest="config_before", type=Path, default=None, help=argparse.SUPPRESS)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=None, type=Path, help="config file (default ./config.yaml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for group in (library, answers, operate):
        group.add_parsers(sub, common)
    parser.description = f"Answer questions about news articles. Commands: {', '.join(sub.choices)}."
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.config = (getattr(args, "config", None) or getattr(args, "config_group", None) or args.config_before
                   or DEFAULT_CONFIG)
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
    except BrokenPipeError:  # the reader went (`| head`): stop quietly, and let nothing flush into the closed pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
