"""Follow-ups: which questions name no subject of their own, and how one is read with the question before it."""

from __future__ import annotations

import numpy as np
import pytest

from bot.retrieval import followup
from bot.retrieval.followup import mixed, names_no_subject, read_with, with_previous
from bot.retrieval.lexical import QueryTerm


@pytest.mark.parametrize("question", ["and how much did it cost", "why tho", "c'est quand ?", "et ça coûte combien",
                                      "who said that", "how long", "pk là-bas ?"])
def test_a_question_of_at_most_two_content_words_leans_on_the_one_before(question):
    assert names_no_subject(question)
    assert read_with(question, "when does the ferry start") == "when does the ferry start"


@pytest.mark.parametrize("question", ["who is the union's regional secretary",
                                      "how many passengers can the ferry carry",
                                      "qui est la nouvelle maire de Valmont",
                                      "when was the nordeon data centre opened"])
def test_a_question_that_names_its_subject_is_read_alone(question):
    assert not names_no_subject(question)
    assert read_with(question, "when does the ferry start") is None


def test_there_is_nothing_to_read_with_when_the_previous_question_is_blank():
    assert read_with("why tho", "  ") is None


def test_the_follow_up_leads_the_mixed_vector():
    follow, previous = np.array([1.0, 0.0], np.float32), np.array([0.0, 1.0], np.float32)
    v = mixed(np.stack([follow, previous]))
    assert np.isclose(np.linalg.norm(v), 1.0)
    assert v[0] > v[1] > 0  # towards the previous question, by PREVIOUS_WEIGHT only
    assert np.isclose(v[1] / v[0], followup.PREVIOUS_WEIGHT)
    assert mixed(follow[None, :]) is not None and np.array_equal(mixed(follow[None, :]), follow)


def test_the_previous_questions_terms_come_at_its_weight_and_never_lower_a_shared_one():
    mine = [QueryTerm("cost", 1.0, "cost")]
    earlier = [QueryTerm("ferri", 1.0, "ferry"), QueryTerm("cost", 1.0, "cost")]
    terms = {t.stem: t.weight for t in with_previous(mine, earlier)}
    assert terms == {"cost": 1.0, "ferri": followup.PREVIOUS_WEIGHT}


def test_a_short_question_naming_another_articles_subject_is_read_alone():
    """"and the tram?" in a conversation about a ferry: short, but "tram" is another article's word."""
    elsewhere = {"tram"}.__contains__
    assert names_no_subject("and the cost?", elsewhere)
    assert not names_no_subject("and the tram?", elsewhere)
    assert read_with("and the tram?", "when does the ferry start", elsewhere) is None
