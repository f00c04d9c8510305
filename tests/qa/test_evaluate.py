"""bot/qa/evaluate.py: question files, gold matching and the quality figures."""

from __future__ import annotations

import pytest

from bot.corpus.questions import Item, load_questions, norm
from bot.errors import InputError
from bot.qa.engine import Engine
from bot.qa.evaluate import Outcome, by_language, expected_calibration_error, metrics, reliability, run_eval
from tests.support.project import write_yaml

# ----- question files ----------------------------------------------------------------------------


def test_load_questions(tmp_path):
    path = write_yaml(tmp_path / "q.yaml", [
        {"q": "when does construction begin?", "gold": ["will begin in March\u00a02026"]},
        {"q": "what is the mayor\u2019s view", "gold": ["the mayor\u2019s  office", "nine to two"],
         "article": "tram.en"},
        {"q": "what is the weather on mars"},
        {"q": "who won the cup", "gold": []},
    ])
    items = load_questions(path)
    assert items == [
        Item("when does construction begin?", ("will begin in March 2026",)),
        Item("what is the mayor\u2019s view", ("the mayor's office", "nine to two"), "tram.en"),
        Item("what is the weather on mars", ()),
        Item("who won the cup", ()),
    ]


def test_load_questions_accepts_a_string_path(tmp_path):
    path = write_yaml(tmp_path / "q.yaml", [{"q": "a?", "gold": ["b"]}])
    assert load_questions(str(path)) == [Item("a?", ("b",))]


@pytest.mark.parametrize("content, problem", [
    ("{q: a, gold: [b]}\n", "non-empty YAML list"),
    ("[]\n", "non-empty YAML list"),
    ("", "non-empty YAML list"),
    ("- just a string\n", "item 1: expected a mapping with a non-empty string 'q'"),
    ("- {q: ok, gold: [b]}\n- {gold: [b]}\n", "item 2: expected a mapping"),
    ("- {q: '   ', gold: [b]}\n", "item 1: expected a mapping"),
    ("- {q: 42, gold: [b]}\n", "item 1: expected a mapping"),
    ("- {q: a, gold: b}\n", "item 1: 'gold' must be a list of non-empty strings"),
    ("- {q: a, gold: ['']}\n", "item 1: 'gold' must be a list"),
    ("- {q: a, gold: [3]}\n", "item 1: 'gold' must be a list"),
    ("- {q: a, gold: [b], article: [x]}\n", "item 1: 'article' must be an article id"),
    ("- {q: a, gold: [b\n", "cannot read question file"),
])
def test_load_questions_errors_name_the_file(tmp_path, content, problem):
    path = tmp_path / "questions.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_questions(path)
    assert str(err.value).startswith(f"{path}: ")
    assert problem in str(err.value)
    assert "\n" not in str(err.value)
    assert err.value.exit_code == 2


def test_load_questions_missing_file(tmp_path):
    with pytest.raises(InputError, match="question file not found") as err:
        load_questions(tmp_path / "nope.yaml")
    assert str(tmp_path / "nope.yaml") in str(err.value)


def test_load_questions_not_utf8(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_bytes(b"- q: caf\xe9\n")
    with pytest.raises(InputError, match="cannot read question file") as err:
        load_questions(path)
    assert str(path) in str(err.value)


def test_the_shipped_question_files_are_valid():
    from tests.support.project import REPO

    for path in [REPO / "eval" / "xiaomi-us.fr.yaml", REPO / "eval" / "english" / "questions.yaml"]:
        items = load_questions(path)
        assert items and any(i.gold for i in items) and any(not i.gold for i in items)


# ----- gold matching -----------------------------------------------------------------------------

def test_norm_matches_the_engine_text():
    assert norm("  l\u2019entrée\u00a0sur le\u202fmarché  \n US ") == "l'entrée sur le marché US"
    assert norm("it\u2018s") == "it's"


def test_run_eval_matches_gold_modulo_spaces_and_apostrophes(make_project):
    project = make_project(tram=False)
    project.add_article("council.en.txt",
                        "The council\u2019s vote\u00a0was nine to two on Tuesday. The mayor\u2019s office "
                        "welcomed the\u202fdecision. Work starts in March.\n")
    engine = Engine(project.config())
    items = [
        Item("how did the council vote?", (norm("council\u2019s vote was  nine"),)),  # source: ’ and U+00A0
        Item("what did the mayor say?", (norm("mayor's office welcomed the decision"),)),  # source: ’, U+202F
        Item("what did the mayor say?", (norm("this sentence is in no article"),)),
        Item("what is the weather on mars?", ()),
    ]
    outcomes = run_eval(engine, items)
    assert [o.item for o in outcomes] == items
    assert outcomes[0].rank is not None and 1 <= outcomes[0].rank <= 3
    assert outcomes[1].rank is not None and 1 <= outcomes[1].rank <= 3
    assert outcomes[2].rank is None
    assert outcomes[3].rank is None and not outcomes[3].abstained
    assert all(o.language == "en" for o in outcomes)
    for o in outcomes:
        assert o.answer == engine.ask(o.item.q, k=10).passage.sentence.text
        assert 0.0 <= o.confidence <= 1.0


def test_run_eval_counts_abstentions(make_project):
    engine = Engine(make_project(abstain_threshold=1.0).config())
    outcomes = run_eval(engine, [Item("when does construction begin?", ("will begin in March 2026",)),
                                 Item("what is the weather on mars?", ())])
    assert [(o.abstained, o.rank) for o in outcomes] == [(True, None), (True, None)]
    m = metrics(outcomes)
    assert (m["abstain_recall"], m["false_abstain"], m["top1"]) == (1.0, 1.0, 0.0)


def test_run_eval_honours_the_article_of_an_item(built_project):
    engine = Engine(built_project.config())
    items = [Item("when does it open?", ("bakery will open six days",), "bakery.en"),
             Item("when does it open?", ("bakery will open six days",), "tram.en")]
    on_bakery, on_tram = run_eval(engine, items)
    assert on_bakery.rank is not None and on_tram.rank is None


# ----- figures -----------------------------------------------------------------------------------

def outcome(gold: bool, rank: int | None = None, abstained: bool = False, language: str = "en") -> Outcome:
    item = Item("q", ("gold",) if gold else ())
    return Outcome(item, language, abstained, rank, None if abstained else "answer", 0.5)


def test_metrics_on_hand_made_outcomes():
    outcomes = [
        outcome(True, rank=1),
        outcome(True, rank=2),
        outcome(True, rank=4),
        outcome(True, rank=None),                  # answered, gold not in the top 10
        outcome(True, rank=None, abstained=True),  # false abstention
        outcome(False, abstained=True),
        outcome(False, abstained=True),
        outcome(False, abstained=False),
    ]
    m = metrics(outcomes)
    assert m == {
        "n_on": 5,
        "n_off": 3,
        "top1": 0.2,
        "top3": 0.4,
        "mrr": round((1 + 1 / 2 + 1 / 4) / 5, 4),
        "abstain_recall": round(2 / 3, 4),
        "false_abstain": 0.2,
        "trap_abstain": None,            # no item is marked trap: true
        "unrelated_abstain": round(2 / 3, 4),
        "span_hit": None,                # no item has answer:
        "n_span": 0,
        # 5 answers shown at confidence 0.5, one right (rank 1): |0.2 - 0.5|
        "ece": 0.3,
    }
    assert m["mrr"] == 0.35


def test_metrics_of_nothing_are_zero_or_null():
    assert metrics([]) == {"n_on": 0, "n_off": 0, "top1": 0.0, "top3": 0.0, "mrr": 0.0,
                           "abstain_recall": 0.0, "false_abstain": 0.0, "trap_abstain": None,
                           "unrelated_abstain": None, "span_hit": None, "n_span": 0, "ece": None}


def test_trap_and_unrelated_abstention_span_hit():
    def off(trap: bool, abstained: bool) -> Outcome:
        return Outcome(Item("q", (), trap=trap), "en", abstained, None, None, 0.2, tier="not_covered" if abstained
                       else "answer")

    def on(rank, span_ok) -> Outcome:
        return Outcome(Item("q", ("gold",), answer="2017"), "en", False, rank, "a", 0.9, span_ok=span_ok)

    m = metrics([off(True, True), off(True, False), off(True, True), off(False, True),
                 on(1, True), on(1, False), on(2, False), Outcome(Item("q", ("gold",)), "en", False, 1, "a", 0.9)])
    assert m["trap_abstain"] == round(2 / 3, 4) and m["unrelated_abstain"] == 1.0
    assert m["abstain_recall"] == 0.75
    assert m["n_span"] == 3 and m["span_hit"] == round(1 / 3, 4)


def test_expected_calibration_error_and_reliability():
    # Ten answers at 0.95, nine right: calibrated in that bin. Ten at 0.55, all wrong: 0.55 off.
    pairs = [(0.95, i < 9) for i in range(10)] + [(0.55, False) for _ in range(10)]
    assert expected_calibration_error(pairs) == round((10 * 0.05 + 10 * 0.55) / 20, 4)
    assert expected_calibration_error([]) is None
    outcomes = [Outcome(Item("q", ("g",)), "en", False, 1 if right else None, "a", c) for c, right in pairs]
    table = dict((b, (n, share)) for b, n, share in reliability(outcomes))
    assert table["0.9-1.0"] == (10, 0.9) and table["0.5-0.6"] == (10, 0.0) and table["0.0-0.1"] == (0, None)


def test_load_questions_reads_answer_and_trap(tmp_path):
    path = write_yaml(tmp_path / "q.yaml", [
        {"q": "when?", "gold": ["in 2017"], "answer": "2017"},
        {"q": "how old is the ceo", "gold": [], "trap": True},
    ])
    assert load_questions(path) == [Item("when?", ("in 2017",), answer="2017"),
                                    Item("how old is the ceo", (), trap=True)]


@pytest.mark.parametrize("raw, problem", [
    ({"q": "a", "gold": [], "answer": "x"}, "'answer' must be a non-empty string, on an item with gold"),
    ({"q": "a", "gold": ["b"], "answer": ""}, "'answer' must be a non-empty string"),
    ({"q": "a", "gold": ["b"], "trap": True}, "'trap' must be true or false, and true only with gold: []"),
    ({"q": "a", "gold": [], "trap": "yes"}, "'trap' must be true or false"),
])
def test_answer_and_trap_errors(tmp_path, raw, problem):
    with pytest.raises(InputError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_questions(write_yaml(tmp_path / "q.yaml", [raw]))


def test_metrics_only_off_topic():
    m = metrics([outcome(False, abstained=True), outcome(False)])
    assert (m["n_on"], m["n_off"], m["abstain_recall"], m["top1"], m["mrr"]) == (0, 2, 0.5, 0.0, 0.0)


def test_by_language():
    outcomes = [outcome(True, rank=1, language="fr"), outcome(True, rank=3, language="fr"),
                outcome(True, rank=None, language="en"), outcome(False, abstained=True, language="en")]
    figures = by_language(outcomes)
    assert list(figures) == ["en", "fr"]
    assert figures["fr"]["top1"] == 0.5 and figures["fr"]["top3"] == 1.0
    assert figures["fr"]["mrr"] == round((1 + 1 / 3) / 2, 4)
    assert figures["en"]["n_on"] == 1 and figures["en"]["n_off"] == 1
    assert figures["en"]["top3"] == 0.0 and figures["en"]["abstain_recall"] == 1.0
