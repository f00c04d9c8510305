"""bot/qa/engine.py: ask (passage, context, position, confidence), input checks, articles, reload."""

from __future__ import annotations

import threading

import pytest

from bot.errors import InputError
from bot.index.sentence_index import SentenceIndex
from bot.qa.engine import Engine, clean_question
from tests.support.project import BAKERY_TEXT
from tests.support.waits import GUARD_S

QUESTIONS = [
    "When will construction begin?",
    "How many stops will the line have?",
    "What is the total cost?",
    "Will Halverton finally get its tram?",        # the headline question, verbatim
    "halverton-blue-line-render",                  # the image slug, verbatim
    "An artist's impression of a tram on Mill Street",  # the caption, verbatim
    "Who bakes the bread?",
    "quand les travaux commencent-ils ?",
]


@pytest.fixture
def engine(built_project) -> Engine:
    return Engine(built_project.config())


def _row(engine, text):
    return next(r for r in engine.index.rows if r.text == text)


# ----- answers -----------------------------------------------------------------------------------

def test_ask_returns_an_answerable_passage_with_its_paragraph_context(engine):
    answer = engine.ask("Is there an interchange at Central station among the 19 stops?")
    assert answer.question == "Is there an interchange at Central station among the 19 stops?"
    assert not answer.abstained
    p = answer.passage
    assert p.sentence.text == "It will have 19 stops, including an interchange at Central station."
    assert p.sentence.kind == "prose" and p.sentence.answerable
    assert [s.text for s in p.before] == [
        "The line will run 14.2 kilometres from Northgate to the Riverside hospital."]
    assert [s.text for s in p.after] == [
        "Dr. Alice Moreno, who leads the project, said the U.S. supplier would deliver the first trams "
        "in 2027."]
    assert (p.sentence.paragraph, p.sentence.number) == (2, 2)
    assert p.position == "§2 · sentence 2"
    assert answer.article_title == "Will Halverton finally get its tram?"
    assert answer.article_source == "test corpus"


@pytest.mark.parametrize("question, expected", [
    ("When will construction begin?", "Construction will begin in March 2026."),
    ("What is the total cost estimated at?", "The total cost is estimated at $612 million."),
    ("How often will trams run at peak times?", "Trams will run every seven minutes at peak times."),
])
def test_near_verbatim_questions_find_their_sentence(engine, question, expected):
    assert engine.ask(question).passage.sentence.text == expected


@pytest.mark.parametrize("question", QUESTIONS)
def test_passages_are_well_formed_and_never_questions_or_noise(engine, question):
    answer = engine.ask(question, k=10)
    assert 0.0 <= answer.confidence <= 1.0
    ranked = answer.ranked
    assert len(ranked) == 10  # tram + bakery hold 11 answerable sentences
    assert len({p.sentence.id for p in ranked}) == 10
    for p in ranked:
        s = p.sentence
        assert s.kind == "prose", s
        assert s.paragraph >= 1 and s.number >= 1
        assert p.position == f"§{s.paragraph} · sentence {s.number}"
        context = [*p.before, s, *p.after]
        positions = [engine.index.position(c.id) for c in context]
        assert positions == list(range(positions[0], positions[0] + len(context)))
        for c in (*p.before, *p.after):
            assert c.article == s.article and c.paragraph == s.paragraph and c.kind != "noise"
        assert len(p.before) <= 1 and len(p.after) <= 1
    scores = [p.score for p in ranked]
    assert scores == sorted(scores, reverse=True)


def test_headline_question_is_context_but_never_the_answer(engine):
    answer = engine.ask("Will Halverton finally get its tram?", k=10)
    statement = _row(engine, "The city council approved the Blue Line tram on Tuesday by nine votes to two.")
    passage = next(p for p in answer.ranked if p.sentence.id == statement.id)
    assert [s.kind for s in passage.before] == ["question"]  # shown as context
    assert all(p.sentence.kind == "prose" for p in answer.ranked)


def test_ask_is_deterministic(engine, built_project):
    first = engine.ask("What is the total cost?", k=5)
    second = engine.ask("What is the total cost?", k=5)
    assert first == second
    assert first.confidence == second.confidence
    other = Engine(built_project.config()).ask("What is the total cost?", k=5)
    assert [p.sentence.id for p in other.ranked] == [p.sentence.id for p in first.ranked]
    assert other.confidence == first.confidence


@pytest.mark.parametrize("k", [1, 3, 7])
def test_k_passages(engine, k):
    assert len(engine.ask("What is the total cost?", k=k).ranked) == k


@pytest.mark.parametrize("k", [0, -1, 11])
def test_k_out_of_range(engine, k):
    with pytest.raises(InputError, match="k must be between 1 and 10"):
        engine.ask("What is the total cost?", k=k)


def test_abstention_still_gives_the_closest_passage(make_project):
    engine = Engine(make_project(abstain_threshold=1.0).config())
    answer = engine.ask("What is the total cost?")
    assert answer.abstained
    assert answer.passage is not None and answer.passage.sentence.kind == "prose"
    assert 0.0 <= answer.confidence <= 1.0


# ----- articles ----------------------------------------------------------------------------------

def test_article_option_restricts_the_search(engine):
    for article in ("tram.en", "bakery.en"):
        answer = engine.ask("When does it open?", k=10, article=article)
        assert {p.sentence.article for p in answer.ranked} == {article}
    assert engine.ask("When does it open?", article="bakery.en").article_title == \
        "The old bakery on Station Road reopened on Monday after a fire last winter."
    both = engine.ask("When does it open?", k=10)
    assert {p.sentence.article for p in both.ranked} == {"tram.en", "bakery.en"}


def test_unknown_article(engine):
    with pytest.raises(InputError, match="unknown article 'nope'") as err:
        engine.ask("When does it open?", article="nope")
    assert "bakery.en, tram.en" in str(err.value)


def test_default_article_from_config(built_project):
    path = built_project.config_path
    path.write_text(path.read_text(encoding="utf-8") + "default_article: bakery.en\n", encoding="utf-8")
    engine = Engine(built_project.config())
    assert {p.sentence.article for p in engine.ask("When does it open?", k=10).ranked} == {"bakery.en"}
    assert {p.sentence.article for p in engine.ask("When does it open?", k=10, article="tram.en").ranked} == \
        {"tram.en"}


def test_unknown_default_article(built_project):
    path = built_project.config_path
    path.write_text(path.read_text(encoding="utf-8") + "default_article: gone\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown article 'gone'"):
        Engine(built_project.config()).ask("When does it open?")


def test_article_ids_and_info(engine, built_project):
    assert engine.article_ids() == ["bakery.en", "tram.en"]
    info = engine.info()
    assert [a["id"] for a in info["articles"]] == ["bakery.en", "tram.en"]
    assert info["index_dir"] == str(built_project.index)
    assert "files" not in info["manifest"]
    assert info["manifest"]["sentences"] == len(engine.index.rows)


def test_reload_picks_up_a_new_article(make_project):
    project = make_project()
    engine = Engine(project.config())
    assert engine.article_ids() == ["tram.en"]
    with pytest.raises(InputError):
        engine.ask("Who bakes the bread?", article="bakery.en")
    project.add_article("bakery.en.txt", BAKERY_TEXT)
    engine.reload()
    assert engine.article_ids() == ["bakery.en", "tram.en"]
    answer = engine.ask("Who bakes the bread with flour from a mill?", article="bakery.en")
    assert answer.passage.sentence.text == \
        "The new owner, a former teacher, bakes bread with flour from a mill in the valley."
    assert "bakery.en" in engine.index.manifest["articles"]


def test_reload_drops_a_removed_article(built_project):
    engine = Engine(built_project.config())
    (built_project.articles / "bakery.en.txt").unlink()
    engine.reload()
    assert engine.article_ids() == ["tram.en"]
    assert {p.sentence.article for p in engine.ask("When does it open?", k=10).ranked} == {"tram.en"}


def test_questions_during_a_reload_are_answered_by_the_old_index(make_project, monkeypatch):
    project = make_project()
    engine = Engine(project.config())
    old_index = engine.index
    project.add_article("bakery.en.txt", BAKERY_TEXT)
    started, release = threading.Event(), threading.Event()
    real_update = SentenceIndex.update.__func__

    def slow_update(cls, *args, **kwargs):
        started.set()
        release.wait(GUARD_S)  # the update is still running while questions come in
        return real_update(cls, *args, **kwargs)

    monkeypatch.setattr(SentenceIndex, "update", classmethod(slow_update))
    reloader = threading.Thread(target=engine.reload)
    reloader.start()
    assert started.wait(GUARD_S)
    during = engine.ask("When does it open?", k=10)
    assert engine.index is old_index
    assert {p.sentence.article for p in during.ranked} == {"tram.en"}
    release.set()
    reloader.join(GUARD_S)
    assert engine.index is not old_index and engine.article_ids() == ["bakery.en", "tram.en"]


# ----- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("question, message", [
    ("", "empty"),
    ("   \t\n  ", "empty"),
    ("\x00\x01\x07\x1b\x7f\u200b\ufeff", "empty"),
    ("x" * 10_000, "10,000 characters"),
    ("What? " * 300, "characters"),
])
def test_bad_questions(engine, question, message):
    with pytest.raises(InputError, match=message) as err:
        engine.ask(question)
    assert err.value.exit_code == 2
    assert "\n" not in str(err.value)


def test_question_must_be_text(engine):
    with pytest.raises(InputError, match="text"):
        engine.ask(None)


def test_control_characters_are_stripped_and_the_question_answered(engine):
    answer = engine.ask("When\x00 will\u200b construction\x07\tbegin?\x1b\x7f")
    assert answer.question == "When will construction begin?"
    assert answer.passage.sentence.text == "Construction will begin in March 2026."
    assert answer == engine.ask("When will construction begin?")


@pytest.mark.parametrize("raw, cleaned", [
    ("  what\n is\tit?  ", "what is it?"),
    ("a\x00b", "a b"),
    ("l\u2019article\u00a0?", "l\u2019article ?"),
    ("x" * 1000, "x" * 1000),
])
def test_clean_question(raw, cleaned):
    assert clean_question(raw, 1000) == cleaned


def test_clean_question_limit_says_at_most_and_means_it():
    assert clean_question("x" * 1000, 1000) == "x" * 1000  # at the limit: accepted
    with pytest.raises(InputError) as err:
        clean_question("x" * 1001, 1000)
    assert str(err.value) == "the question is 1,001 characters long; ask it in at most 1,000 characters"


def test_max_question_chars_comes_from_config(make_project):
    engine = Engine(make_project(max_question_chars=20).config())
    assert engine.ask("What is the cost?").passage is not None
    assert len("Who builds the line?") == 20 and engine.ask("Who builds the line?").passage  # at the limit
    with pytest.raises(InputError, match="long; ask it in at most 20 characters$"):
        engine.ask("What is the total cost of the line?")


# ----- approximate search above the threshold ------------------------------------------------------

def test_hnsw_above_the_threshold_gives_the_same_answers(make_project):
    exact = Engine(make_project(xiaomi=True, bakery=True).config())
    approx_project = make_project(xiaomi=True, bakery=True, ann_threshold=5)
    approx = Engine(approx_project.config())
    assert not exact.index.approximate and approx.index.approximate
    assert type(approx.index.views["dense.ctx"]).__name__ == "IndexHNSWFlat"
    assert approx.index.manifest["search"]["approximate"] is True
    for question in ("When will construction begin?", "Who bakes the bread?", "Qui est Hugo Barra ?"):
        a, b = exact.ask(question), approx.ask(question)
        assert a.passage.sentence.id == b.passage.sentence.id
        assert a.confidence == pytest.approx(b.confidence, abs=1e-3)


def test_changing_hnsw_settings_rebuilds_only_an_approximate_index(make_project, caplog):
    import logging

    project = make_project(ann_threshold=5)
    Engine(project.config())
    project.write_config(ann_threshold=5, ef_search=64, abstain_threshold=0.0)
    with caplog.at_level(logging.INFO, logger="bot"):
        engine = Engine(project.config())
    assert any("search settings" in r.getMessage() for r in caplog.records)
    assert engine.index.views["dense.ctx"].hnsw.efSearch == 64
    small = make_project()
    Engine(small.config())
    small.write_config(ef_search=64, abstain_threshold=0.0)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot"):
        Engine(small.config())
    assert not any("rebuilding" in r.getMessage() for r in caplog.records)
