"""bot/clock.py: times stored as ISO 8601 UTC in whole seconds, read back aware, shown in UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.clock import moment, now_iso, utc_text


def test_now_iso_is_utc_whole_seconds_and_now():
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = now_iso()
    after = dt.datetime.now(dt.UTC)
    assert stamp.endswith("+00:00") and "." not in stamp and len(stamp) == len("2026-12-02T18:13:12+00:00")
    assert before <= dt.datetime.fromisoformat(stamp) <= after


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-03-11T09:30:00+00:00", dt.datetime(2025, 3, 11, 9, 30, tzinfo=dt.UTC)),
    ("2025-03-11T09:30:00", dt.datetime(2025, 3, 11, 9, 30, tzinfo=dt.UTC)),  # no zone: UTC
    ("2025-03-11T11:30:00+02:00", dt.datetime(2025, 3, 11, 9, 30, tzinfo=dt.UTC)),
    (0, dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),  # epoch seconds
    (1741685400.5, dt.datetime(2025, 3, 11, 9, 30, 0, 500000, tzinfo=dt.UTC)),
])
def test_moment_reads_iso_and_epoch_times_as_aware_datetimes(value, expected):
    got = moment(value)
    assert got == expected and got.tzinfo is not None


@pytest.mark.parametrize("value", [None, "", "yesterday", "2025-13-45"])
def test_moment_is_none_when_unreadable(value):
    assert moment(value) is None


def test_utc_text_shows_any_zone_in_utc_and_says_never_or_the_value_itself():
    assert utc_text("2025-03-11T11:30:00+02:00") == "2025-03-11 09:30 UTC"
    assert utc_text("2025-03-11T09:30:59") == "2025-03-11 09:30 UTC"
    assert utc_text(0) == "1970-01-01 00:00 UTC"
    assert utc_text(None) == "never"
    assert utc_text("sometime") == "sometime"  # unreadable: shown as stored
    assert moment(now_iso()) is not None and utc_text(now_iso()).endswith(" UTC")
