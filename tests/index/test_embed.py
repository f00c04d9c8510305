"""Embedding shows progress only where it helps: a bar on a terminal past a few dozen texts, a log line elsewhere."""

from __future__ import annotations

import io
import logging

import pytest

from bot.index import embed as embed_module
from bot.index.embed import PROGRESS_ABOVE, encode
from bot.index.encoders import HashingEncoder


class Terminal(io.StringIO):
    """What tqdm writes to when stderr is a terminal (it asks ``isatty``)."""

    def isatty(self) -> bool:
        return True


def on_terminal(monkeypatch) -> Terminal:
    """stderr as a terminal, set in the test itself (pytest puts its own capture back between setup and call)."""
    screen = Terminal()
    monkeypatch.setattr(embed_module.sys, "stderr", screen)
    return screen


def test_more_than_a_few_dozen_texts_show_a_bar_on_a_terminal(monkeypatch):
    terminal = on_terminal(monkeypatch)
    vectors = encode(HashingEncoder(16), [f"sentence {i}" for i in range(PROGRESS_ABOVE + 1)], "in context")
    assert vectors.shape == (PROGRESS_ABOVE + 1, 16)
    shown = terminal.getvalue()
    assert "in context:" in shown and f"/{PROGRESS_ABOVE + 1} [" in shown, shown  # "in context:  0%|  | 0/49 ["


def test_a_few_texts_show_no_bar(monkeypatch):
    terminal = on_terminal(monkeypatch)
    encode(HashingEncoder(16), [f"sentence {i}" for i in range(PROGRESS_ABOVE)], "in context")
    assert terminal.getvalue() == ""


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    piped = io.StringIO()
    monkeypatch.setattr(embed_module.sys, "stderr", piped)
    encode(HashingEncoder(16), [f"sentence {i}" for i in range(PROGRESS_ABOVE * 3)], "in context")
    assert piped.getvalue() == ""


@pytest.mark.parametrize("above", [-1, 0])
def test_an_update_past_the_threshold_says_what_it_embeds_in_the_log(make_project, encoders, caplog, monkeypatch,
                                                                      above):
    from bot.corpus.parse import load_articles

    articles = load_articles(make_project(tram=True, bakery=True).config().articles_dir)
    rows = sum(len(a.sentences) for a in articles)
    monkeypatch.setattr(embed_module, "PROGRESS_ABOVE", rows + above)  # -1: just past it; 0: at it
    with caplog.at_level(logging.INFO, logger="bot.index.embed"):
        embed_module.embed([(a, a.id) for a in articles], encoders, ("dense.ctx",))
    said = [r.getMessage() for r in caplog.records if r.name == "bot.index.embed"]
    expected = [f"embedding {rows} sentences of 2 article(s) with hashing:32:0, hashing:64:0"]
    assert said == (expected if above < 0 else [])
