"""Article-level evidence in the ranking: the article that holds the question's words, and recency."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from bot.qa.engine import Engine
from bot.retrieval.rank import Retriever

STORY = "The museum reopened its east wing on Monday after two years of work.\n"


def dated(days_ago: float) -> str:
    when = dt.datetime.fromtimestamp(time.time() - days_ago * 86_400, dt.UTC)
    return f"added_at: '{when.isoformat(timespec='seconds')}'\ntitle: Museum news\n"


def twins(make_project, **retrieval):
    """Two articles with the same sentence: one added today, one 60 days ago."""
    project = make_project(tram=False, **retrieval)
    project.add_article("old.en.txt", STORY, dated(60))
    project.add_article("new.en.txt", STORY, dated(0.1))
    return Engine(project.config())


def test_a_tie_goes_to_the_article_added_most_recently(make_project):
    ranking = twins(make_project, recency_weight=0.04).retriever.rank("when did the museum reopen its east wing")
    assert ranking.passages[0].sentence.article == "new.en" and ranking.runner_up.sentence.article == "old.en"
    # the same sentence: the two differ by the prior alone, 0.04 x (0.5^(0.1/30) - 0.5^(60/30)) with the default
    # half-life of 30 days
    assert abs((ranking.passages[0].score - ranking.runner_up.score) - 0.04 * (0.5 ** (0.1 / 30) - 0.25)) < 1e-3


def test_without_the_prior_the_tie_goes_by_row_order(make_project):
    engine = twins(make_project, recency_weight=0.0)
    first = engine.ask("when did the museum reopen its east wing").passage
    assert first.sentence.article == engine.index.articles[0].id  # no preference: the earlier row


def test_recency_halves_every_half_life_and_is_zero_without_an_added_time(make_project):
    project = make_project(recency_half_life_days=10.0)  # tram.en has no added_at: put there by hand
    project.add_article("new.en.txt", STORY, dated(10))
    engine = Engine(project.config())
    r: Retriever = engine.retriever
    rows = [engine.index.spans["new.en"][0], engine.index.spans["tram.en"][0]]
    new, hand = r._recency(np.array(rows))
    assert abs(new - 0.5) < 0.01 and hand == 0.0


def test_the_article_holding_the_questions_rare_words_gets_the_article_level_lexical_evidence(make_project):
    project = make_project(bakery=True)
    engine = Engine(project.config())
    scores = engine.retriever.lexical.article_scores(list(engine.retriever.question("Moreno tram stops").terms))
    by_article = dict(zip(engine.retriever.lexical.articles, scores, strict=True))
    assert by_article["tram.en"] > 0 and by_article["bakery.en"] == 0
