"""bot/retrieval/evidence.py on its own: damped BM25, and gather() on hand-built signals."""

from __future__ import annotations

import numpy as np
import pytest

from bot.corpus.article import Sentence
from bot.corpus.terms import article_names
from bot.retrieval.evidence import damped, gather
from bot.retrieval.kinds import Kind, expected_kind
from bot.retrieval.lexical import question_words
from bot.retrieval.signals import ArticleWords, CandidateSignals, QuestionSignals


def row(article: str, n: int, text: str) -> Sentence:
    return Sentence(f"{article}#{n}", article, 1, n, 0, len(text), text, "prose")


ROWS = [
    row("tram", 1, "The council approved the tram on Tuesday."),
    row("tram", 2, "Mayor Ellen Varga praised the plan."),
    row("tram", 3, "Work on the line starts soon."),
    row("tram", 4, "The tram will have 19 stops."),
    row("bakery", 1, "The bakery on Station Road reopened."),
    row("bakery", 2, "Its owner buys flour from Xiaomi Mills."),
]
WORDS = ArticleWords(ROWS, {"tram": "en", "bakery": "en"}, article_names(ROWS), {"tram": (0, 4), "bakery": (4, 6)})


def question(text: str) -> QuestionSignals:
    """A question as the retriever would see it with no topic encoder (no vectors, no translations)."""
    return QuestionSignals(text, np.zeros(4, dtype=np.float32), None, tuple(question_words(text)), None, {}, (),
                           np.zeros(len(ROWS), dtype=np.float32))


def candidates(dense, lexical, topic=None, rows=(0, 1, 2, 3, 4)) -> CandidateSignals:
    return CandidateSignals(np.array(rows), np.array(dense, dtype=np.float32), None,
                            np.array(lexical, dtype=np.float32),
                            None if topic is None else np.array(topic, dtype=np.float32))


def evidence(q: QuestionSignals, c: CandidateSignals, order, reader=None):
    return gather(q, c, c.dense, np.array(order), ROWS, WORDS, expected_kind(q.text), None, reader)


def test_damped_is_relative_to_the_best_and_keeps_weak_evidence_weak():
    np.testing.assert_allclose(damped(np.array([3.0, 1.0, 0.0])), [0.5, 1 / 6, 0.0])
    strong = damped(np.array([300.0, 100.0]))
    assert strong[0] == pytest.approx(300 / 303) and strong[0] < 1.0
    assert damped(np.array([0.3, 0.0]))[0] == pytest.approx(0.3 / 3.3)  # one weak shared word stays weak
    assert not damped(np.zeros(3)).any() and len(damped(np.zeros(0))) == 0
    assert damped(np.array([2.0, 1.0]), damping=0.0)[0] == 1.0


def test_the_kind_asked_for_missing_from_the_first_three_passages():
    q = question("How many stops will the tram have?")
    assert expected_kind(q.text) is Kind.QUANTITY
    c = candidates(dense=[0.9, 0.8, 0.7, 0.6, 0.1], lexical=[1.0, 0.0, 0.0, 2.0, 0.0])
    missing = evidence(q, c, [0, 1, 2, 3, 4])
    assert (missing.type_expected, missing.type_missing, missing.type_top) == (1.0, 1.0, 0.0)
    # The subject is searched further (five passages): the 4th says "19 stops" beside "tram".
    assert missing.type_subject_missing == 0.0
    first = evidence(q, c, [3, 0, 1, 2, 4])
    assert (first.type_missing, first.type_top, first.type_subject_missing) == (0.0, 1.0, 0.0)
    assert first.passage_min == 1.0 and first.dense_top == pytest.approx(0.6)
    # A question asking for no particular kind expects none and misses none.
    other = evidence(question("Tell me about the tram"), c, [0, 1, 2, 3, 4])
    assert (other.type_expected, other.type_missing, other.type_top, other.type_subject_missing) == (0, 0, 0, 0)


def test_an_answer_of_the_kind_must_stand_beside_the_whole_subject():
    q = question("How many stops will the line have?")  # "stops" and "line": both in the tram article
    c = candidates(dense=[0.9, 0.8, 0.7, 0.6, 0.5], lexical=[0, 0, 0, 0, 1.0], rows=(3, 0, 1, 2, 4))
    got = evidence(q, c, [0, 1, 2, 3, 4])  # first: "The tram will have 19 stops." (no "line" there)
    assert got.grounding_min == 1.0
    assert got.type_top == 1.0 and got.type_missing == 0.0
    assert got.type_subject_missing == 1.0  # "Work on the line starts soon." has the subject, but no number


def test_unknown_names_are_judged_against_the_first_passages_article():
    q = question("Did Samsung or Xiaomi pay for the tram?")
    assert q.words == ("samsung", "xiaomi", "pay", "tram")
    c = candidates(dense=[0.9, 0.5, 0.4, 0.3, 0.2], lexical=[0, 0, 0, 0, 0])
    on_tram = evidence(q, c, [0, 1, 2, 3, 4])
    assert on_tram.unknown_names == 2.0  # Samsung written as a name, Xiaomi a name of another article
    assert on_tram.grounding_min == 0.0 and on_tram.grounding_mean == 0.25  # only "tram" is in the article
    on_bakery = evidence(q, c, [4, 0, 1, 2, 3])  # the bakery article holds Xiaomi, not Samsung
    assert on_bakery.unknown_names == 1.0


def test_margin_agreement_and_topic_are_about_the_first_passage_and_its_article():
    q = question("When did the council approve the tram?")
    c = candidates(dense=[0.9, 0.5, 0.4, 0.3, 0.2], lexical=[4.0, 0.0, 1.0, 0.0, 0.0],
                   topic=[0.2, 0.6, 0.1, 0.3, 0.95])
    got = evidence(q, c, [0, 1, 2, 3, 4], reader={"reader_top": 1.5, "reader_margin": 0.2, "reader_agree": 1.0})
    assert got.margin == pytest.approx(0.4)
    assert got.agree == 1.0 and got.lexical_top == pytest.approx(4 / 7)
    assert got.topic_max == pytest.approx(0.6)  # the bakery sentence's 0.95 is another article's
    assert (got.reader_top, got.reader_margin, got.reader_agree) == (1.5, 0.2, 1.0)
    other = evidence(q, c, [2, 0, 1, 3, 4])
    assert other.agree == 0.0 and other.margin == pytest.approx(-0.5)
    alone = evidence(q, candidates([0.9], [0.0], rows=(0,)), [0])
    assert alone.margin == 0.0 and alone.agree == 0.0 and alone.topic_max is None and alone.reader_top is None
