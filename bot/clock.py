"""Times as the project writes and shows them: ISO 8601 in UTC, whole seconds.

``now_iso`` stamps what is stored (``added_at``, ``built_at``); ``moment`` reads a stored time back
(a time without a zone is UTC); ``utc_text`` shows one to people on the console. Discord shows a
``moment`` in each reader's own zone (``bot/discord/articles.py``).
"""

from __future__ import annotations

import datetime as dt


def now_iso() -> str:
    """Now, as stored: ``2026-12-02T18:13:12+00:00``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def moment(value: str | float | None) -> dt.datetime | None:
    """An ISO time (a zone-less one is UTC) or epoch seconds as an aware datetime; None when unreadable."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def utc_text(value: str | float | None) -> str:
    """A time for people on the console: ``2025-03-11 09:30 UTC``; ``never`` for None."""
    if value is None:
        return "never"
    when = moment(value)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if when else str(value)
