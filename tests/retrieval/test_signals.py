"""bot/retrieval/signals.py on its own: ArticleWords judges a question word against one article."""

from __future__ import annotations

import numpy as np
import pytest

from bot.corpus.article import Sentence
from bot.corpus.terms import article_names
from bot.retrieval.signals import FUZZY_RATIO, ArticleWords


def row(article: str, n: int, text: str, kind: str = "prose") -> Sentence:
    return Sentence(f"{article}#{n}", article, 1, n, 0, len(text), text, kind)


ROWS = [
    row("tram", 1, "The council approved the tram on Tuesday."),
    row("tram", 2, "Mayor Ellen Varga said construction starts in 2026."),
    row("tram", 3, "zebra-crossing-photo", "noise"),
    row("bakery", 1, "The bakery on Station Road reopened."),
    row("bakery", 2, "Its owner buys flour from Xiaomi Mills."),
]
SPANS = {"tram": (0, 3), "bakery": (3, 5)}


@pytest.fixture
def words() -> ArticleWords:
    return ArticleWords(ROWS, {"tram": "en", "bakery": "en"}, article_names(ROWS), SPANS)


def test_words_are_one_articles_prose_folded_and_exact_matches_by_stem(words):
    assert {"council", "varga", "2026"} <= words.words("tram")
    assert "bakery" not in words.words("tram")  # another article's words are not this one's
    assert "zebra" not in words.words("tram")   # a noise line is not prose
    assert words.exact("tram", "Councils") and words.exact("tram", "approving")  # case and stem
    assert not words.exact("tram", "bakery") and words.exact("bakery", "bakeries")
    assert words.words("no-such-article") == set()


def test_fuzzy_is_a_misspelling_of_a_word_with_the_same_initial(words):
    assert words.fuzzy("tram", "councel") >= FUZZY_RATIO
    assert words.fuzzy("tram", "kouncil") == 0.0   # another initial: not compared
    assert words.fuzzy("tram", "cou") == 0.0       # under four letters: never fuzzy
    assert words.fuzzy("bakery", "councel") < FUZZY_RATIO


def test_grounding_exact_then_misspelt_then_translated_but_never_through_a_name(words):
    assert words.grounding("tram", "council", []) == 1.0
    assert words.grounding("tram", "councel", []) == pytest.approx(words.fuzzy("tram", "councel"))
    # "boss" is not in the article; its translations are: "varga" is a name of the article (no grounding
    # through a name), "council" a word of it (its cosine), "bread" a word of another article (none).
    assert words.grounding("tram", "boss", [("varga", 0.9), ("council", 0.6), ("bread", 0.8)]) == 0.6
    assert words.grounding("tram", "boss", []) == 0.0


def test_unknown_name_is_a_name_the_article_does_not_hold_even_misspelt(words):
    assert words.unknown_name("tram", "samsung", [], written={"samsung"})      # capitalised in the question
    assert words.unknown_name("tram", "xiaomi", [], written=set())            # a name of another article
    assert words.unknown_name("tram", "samsung", [("varga", 0.6)], set())     # next to one of its names
    assert not words.unknown_name("tram", "samsung", [("varga", 0.4)], set())  # not near enough
    assert not words.unknown_name("tram", "samsung", [("council", 0.9)], set())  # near a word, not a name
    assert not words.unknown_name("tram", "varga", [], {"varga"})   # the article holds it
    assert not words.unknown_name("tram", "vargha", [], {"vargha"})  # misspelt, still held
    assert not words.unknown_name("bakery", "xiaomi", [], {"xiaomi"})


def test_in_sentence_judges_one_sentence_not_the_article(words):
    sentence = ROWS[0].text
    got = words.in_sentence(sentence, "tram", ("council", "councel", "tuesdays", "varga"), None, None)
    assert got[0] == 1.0 and got[2] == 1.0                  # exact, and by stem
    assert got[1] == pytest.approx(words.fuzzy("tram", "councel"))
    assert got[3] == 0.0                                    # in the article, not in this sentence

    # With word vectors, a word not in the sentence is found by its best cosine with a sentence word.
    vectors = {"council": np.array([1.0, 0.0]), "tram": np.array([0.6, 0.8])}

    def vocab_vectors(ws):
        return np.array([vectors[w] for w in ws if w in vectors])

    question = np.array([[0.0, 1.0]])  # a word with no spelling in common: only its vector can find it
    assert words.in_sentence(sentence, "tram", ("xyzzy",), question, vocab_vectors) == [pytest.approx(0.8)]


def test_grounding_is_judged_against_the_answers_article_whatever_else_the_library_holds(make_project):
    """A question word's translations are searched among the answer article's own words: articles added to
    the library (hundreds, with a feed) never push them out of its neighbours."""
    from bot.qa.engine import Engine

    small = Engine(make_project().config())
    big_project = make_project(bakery=True)
    # Other articles full of words that look like "tramway" more than anything in the tram article does:
    # in the library's vocabulary they are its nearest neighbours, all of them.
    looks_alike = ["tramwayed", "tramwayer", "tramwayers", "tramwaying", "tramwayist", "tramwayman", "tramwaymen",
                   "tramwayish", "tramwaylike", "tramwayward", "tramwayless", "tramwayful"]
    for i in range(4):
        big_project.add_article(f"filler{i}.en.txt", f"Story {i} of the museum: " + ", ".join(looks_alike) + ".\n")
    big = Engine(big_project.config())
    for question in ("how many stops will the tramway have", "when do tramways start running"):
        a, b = small.ask(question, article="tram.en"), big.ask(question, article="tram.en")
        assert a.passage.sentence.id == b.passage.sentence.id
        assert (a.evidence.grounding_min, a.evidence.grounding_mean) == \
            (b.evidence.grounding_min, b.evidence.grounding_mean), question
