"""bot/files.py: write_atomic replaces a file whole, leaves no temporary file, and two writers never share one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.files import write_atomic


def test_replaces_the_whole_file_text_as_utf8_and_bytes_as_they_are(tmp_path):
    path = tmp_path / "feeds.json"
    path.write_text("old content that is longer than the new one\n", encoding="utf-8")
    write_atomic(path, "Montréal\n")
    assert path.read_bytes() == "Montréal\n".encode()
    write_atomic(path, b"\x00\xffraw")
    assert path.read_bytes() == b"\x00\xffraw"
    write_atomic(tmp_path / "new.txt", "")  # a file that did not exist yet
    assert (tmp_path / "new.txt").read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.json", "new.txt"]  # no temporary file left


def test_a_failed_write_keeps_the_old_content_and_removes_its_temporary_file(tmp_path):
    path = tmp_path / "calibration.json"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomic(path, 12345)  # neither text nor bytes: the write fails after the temp file is made
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["calibration.json"]


def test_two_writers_at_once_use_their_own_temporary_files_and_the_last_rename_wins_whole(tmp_path, monkeypatch):
    """The second writer starts while the first one's temporary file is written and not yet renamed."""
    path = tmp_path / "article.txt"
    real_replace = os.replace
    seen: list[tuple[str, str]] = []

    def replace(src, dst):
        seen.append((Path(src).name, Path(src).read_text(encoding="utf-8")))
        if len(seen) == 1:  # the first writer is about to rename: the second one writes meanwhile
            write_atomic(path, "second writer " * 100)
            assert path.read_text(encoding="utf-8") == "second writer " * 100
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(path, "first writer " * 100)
    (first, first_text), (second, second_text) = seen
    assert first != second
    assert all(name.startswith(".article.txt.") and name.endswith(".part") for name in (first, second))
    assert (first_text, second_text) == ("first writer " * 100, "second writer " * 100)
    assert path.read_text(encoding="utf-8") == "first writer " * 100  # renamed last: whole, not mixed
    assert [p.name for p in tmp_path.iterdir()] == ["article.txt"]
