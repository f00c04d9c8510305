"""bot/qa/summarize.py on its own: MMR on hand-made scores, summarize() through a real Retriever over a
tiny index built with the seeded hashing encoders."""

from __future__ import annotations

import numpy as np
import pytest

from bot.config import EncoderConfig, RetrievalConfig, SummaryConfig
from bot.corpus.parse import parse_text
from bot.errors import InputError
from bot.index.encoders import load_encoder
from bot.index.sentence_index import SentenceIndex
from bot.qa.summarize import LENGTHS, mmr, summarize
from bot.retrieval.rank import Retriever
from tests.support.project import BAKERY_TEXT, HASHING, TRAM_TEXT

TRAM = "tram.en"


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    dense, topic = EncoderConfig(**HASHING["dense"]), EncoderConfig(**HASHING["topic"])
    encoders = {"dense": load_encoder(dense), "topic": load_encoder(topic)}
    articles = [parse_text(BAKERY_TEXT, "bakery.en"),
                parse_text(TRAM_TEXT, TRAM, {"title": "Will Halverton finally get its tram?", "language": "en"})]
    index = SentenceIndex.build(articles, encoders)
    return Retriever(index, encoders["dense"], encoders["topic"], RetrievalConfig(dense=dense, topic=topic))


def test_mmr_picks_by_relevance_less_redundancy_ties_to_the_earlier():
    relevance = np.array([1.0, 0.95, 0.5])
    similarity = np.array([[1.0, 0.99, 0.0], [0.99, 1.0, 0.0], [0.0, 0.0, 1.0]])  # 0 and 1 say the same
    assert mmr(relevance, similarity, 2, lam=1.0) == [0, 1]  # relevance alone
    assert mmr(relevance, similarity, 2, lam=0.5) == [0, 2]  # the near copy of the first loses
    assert sorted(mmr(relevance, similarity, 10, lam=0.7)) == [0, 1, 2]  # never more than there are, each once
    assert mmr(np.array([0.5, 0.5, 0.5]), np.eye(3), 2, lam=0.7) == [0, 1]  # ties: the earlier sentence


@pytest.mark.parametrize("length", list(LENGTHS))
def test_summary_is_prose_of_the_article_in_article_order(retriever, length):
    got = summarize(retriever, TRAM, length)
    prose = [r for r in retriever.rows if r.article == TRAM and r.kind == "prose"]
    assert len(got) == min(LENGTHS[length], len(prose))
    assert all(s.article == TRAM and s.kind == "prose" for s in got)  # no headline question, no caption
    positions = [retriever.rows.index(s) for s in got]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert summarize(retriever, TRAM, length) == got  # deterministic


def test_a_long_summary_of_a_short_article_is_all_of_its_prose(retriever):
    prose = [r for r in retriever.rows if r.article == TRAM and r.kind == "prose"]
    assert len(prose) == LENGTHS["long"]
    assert summarize(retriever, TRAM, "long") == prose


def test_the_position_prior_favours_the_lead(retriever):
    lead_first = SummaryConfig(mmr_lambda=1.0, position_prior=100.0)
    prose = [r for r in retriever.rows if r.article == TRAM and r.kind == "prose"]
    assert summarize(retriever, TRAM, "short", cfg=lead_first) == prose[:2]


@pytest.mark.parametrize(("focus", "expected"), [
    ("cost million", "The total cost is estimated at $612 million."),
    ("stops interchange", "It will have 19 stops, including an interchange at Central station."),
])
def test_a_focus_brings_its_sentence_in(retriever, focus, expected):
    plain = [s.text for s in summarize(retriever, TRAM, "short")]
    assert expected not in plain
    assert expected in [s.text for s in summarize(retriever, TRAM, "short", focus=focus)]


def test_unknown_length_is_refused_and_unknown_article_has_no_summary(retriever):
    with pytest.raises(InputError, match="length must be one of short, medium, long"):
        summarize(retriever, TRAM, "huge")
    assert summarize(retriever, "no-such-article") == []
