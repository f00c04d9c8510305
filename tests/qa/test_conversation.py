"""Which articles a question is answered from (``Engine.ask``'s routes), follow-ups, and "another article fits"."""

from __future__ import annotations

import pytest

import bot.qa.engine as engine_module
from bot.qa.answer import Route
from bot.qa.engine import Conversation, Engine, Scope

TRAM, BAKERY = "tram.en", "bakery.en"


@pytest.fixture
def engine(built_project):
    return Engine(built_project.config())


def test_the_conversations_article_is_searched_first(engine):
    alone = engine.ask("how many stops will it have")
    assert alone.route is Route.ALL and alone.passage.sentence.article == TRAM
    scoped = engine.ask("how many stops will it have", conversation=Conversation(BAKERY))
    assert scoped.route is Route.CONVERSATION and scoped.conversation_article == BAKERY
    assert {p.sentence.article for p in scoped.ranked} == {BAKERY}
    assert scoped.alternative is None  # one article searched: nothing else to offer


def test_an_article_asked_for_wins_over_the_conversation(engine):
    asked = engine.ask("when does it open", article=TRAM, conversation=Conversation(BAKERY))
    assert asked.route is Route.ASKED and {p.sentence.article for p in asked.ranked} == {TRAM}


def test_a_conversation_about_an_article_this_audience_does_not_see_is_ignored(built_project):
    built_project.add_article("private.en.txt", "The private article of one server.\n", "server: '77'\n")
    engine = Engine(built_project.config())
    answer = engine.ask("how many stops", scope=Scope("88"), conversation=Conversation("private.en"))
    assert answer.route is Route.ALL and answer.passage.sentence.article != "private.en"


def test_when_no_article_covers_it_the_answer_is_the_conversations_own_not_covered(make_project):
    engine = Engine(make_project(bakery=True, abstain_threshold=1.0).config())  # nothing is ever covered
    answer = engine.ask("how many stops", conversation=Conversation(BAKERY))
    assert answer.abstained and answer.route is Route.CONVERSATION and answer.passage.sentence.article == BAKERY


def test_the_default_article_comes_after_the_conversation(built_project):
    path = built_project.config_path
    path.write_text(path.read_text(encoding="utf-8") + f"default_article: {TRAM}\n", encoding="utf-8")
    engine = Engine(built_project.config())
    assert engine.ask("when does it open").route is Route.DEFAULT
    assert engine.ask("when does it open", conversation=Conversation(BAKERY)).route is Route.CONVERSATION


def test_a_bare_follow_up_is_read_with_the_previous_question_and_says_so(engine):
    followed = engine.ask("and the cost?", conversation=Conversation(TRAM, "how long is the tram line"))
    assert followed.read_with == "how long is the tram line"
    alone = engine.ask("how much will the tram line cost in total", conversation=Conversation(TRAM, "how long is it"))
    assert alone.read_with is None  # it names its own subject


def test_another_article_is_offered_when_its_best_passage_is_within_the_margin(engine, monkeypatch):
    ranking = engine.retriever.rank("when does it open", k=3)
    other = ranking.runner_up
    assert other is not None and other.sentence.article != ranking.passages[0].sentence.article
    gap = ranking.passages[0].score - other.score
    monkeypatch.setattr(engine_module, "ALTERNATIVE_MARGIN", gap)
    assert engine.ask("when does it open").alternative == other
    monkeypatch.setattr(engine_module, "ALTERNATIVE_MARGIN", gap - 1e-6)
    assert engine.ask("when does it open").alternative is None
    monkeypatch.setattr(engine_module, "ALTERNATIVE_MARGIN", 10.0)
    assert engine.ask("when does it open", article=TRAM).alternative is None  # asked for one: nothing else


def test_the_runner_up_is_the_best_passage_of_another_article(engine):
    ranking = engine.retriever.rank("bread flour mill valley", k=10)
    first = ranking.passages[0].sentence.article
    others = [p for p in ranking.passages if p.sentence.article != first]
    assert others, [p.sentence.id for p in ranking.passages]  # both articles among the ten
    assert ranking.runner_up.sentence.id == others[0].sentence.id  # the first other-article passage of the ranking


def test_a_follow_up_naming_another_articles_word_is_not_read_with_the_previous_question(engine):
    """"bakery" is in the bakery article, not the tram one: in a conversation about the tram it names a subject."""
    asked = engine.ask("and the bakery?", conversation=Conversation(TRAM, "how long is the tram line"))
    assert asked.read_with is None


def test_a_conversation_that_is_not_anchored_holds_only_for_a_follow_up(engine):
    """In a thread of its own, the last answer's article scopes a follow-up, never a question with a subject."""
    loose = Conversation(BAKERY, "when does the bakery open", anchored=False)
    followed = engine.ask("and how?", conversation=loose)
    assert followed.route is Route.CONVERSATION and followed.read_with == "when does the bakery open"
    fresh = engine.ask("how many stops will the Blue Line tram have in total", conversation=loose)
    assert fresh.route is Route.ALL and fresh.read_with is None
    anchored = engine.ask("how many stops will the Blue Line tram have in total", conversation=Conversation(BAKERY))
    assert anchored.route in (Route.CONVERSATION, Route.FALLBACK)


def test_a_hedged_answer_gives_way_to_another_articles_plain_one(make_project):
    """In a conversation about the bakery, "who leads the tram project" gets only a hedged bakery sentence and
    a plain answer from the tram: the tram's, as a fallback naming the bakery. A question no other article
    answers plainly stays with the conversation's hedged answer."""
    engine = Engine(make_project(bakery=True, abstain_threshold=0.0, answer_threshold=0.5).config())
    moved = engine.ask("who leads the tram project", conversation=Conversation(BAKERY))
    assert engine.ask("who leads the tram project", article=BAKERY).tier.value == "unsure"
    assert moved.route is Route.FALLBACK and moved.tier.value == "answer"
    assert moved.passage.sentence.article == TRAM and moved.conversation_article == BAKERY
    kept = engine.ask("when does the bakery reopen", conversation=Conversation(BAKERY))
    assert kept.route is Route.CONVERSATION and kept.passage.sentence.article == BAKERY
