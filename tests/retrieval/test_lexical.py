"""bot/retrieval/lexical.py on its own: the question's content words, the weighted BM25 terms, the scores."""

from __future__ import annotations

import numpy as np
import pytest

from bot.corpus.article import Sentence
from bot.retrieval.lexical import LexicalScorer, QueryTerm, question_words


def row(article: str, n: int, text: str, kind: str = "prose") -> Sentence:
    return Sentence(f"{article}#{n}", article, 1, n, 0, len(text), text, kind)


ROWS = [
    row("tram", 1, "The council approved the tram on Tuesday."),
    row("tram", 2, "The tram will have 19 stops."),
    row("tram", 3, "halverton-blue-line-render", "noise"),
    row("bakery", 1, "Bakers bake bread daily."),
]
LANGS = {"tram": "en", "bakery": "en"}


@pytest.fixture(scope="module")
def scorer() -> LexicalScorer:
    return LexicalScorer(ROWS, LANGS)


def test_question_words_keep_content_words_digits_and_acronyms_once():
    # Stop words and question words of any language go, one-letter words go, digits stay.
    assert question_words("How many stops will the tram have in 2027?") == ["stops", "tram", "2027"]
    assert question_words("Quand le tram de Halverton ouvrira-t-il ? à 9 h") == ["tram", "halverton", "ouvrira", "9"]
    # "it" is a stop word; written "IT" it is an acronym and kept. A repeated word is kept once, first place.
    assert question_words("is it open") == ["open"]
    assert "it" in question_words("Does IT open the tram tram Tram?")
    assert question_words("tram tram Tram") == ["tram"]


def test_terms_are_the_questions_stems_found_in_the_indexed_prose(scorer):
    terms = scorer.terms("How many stops does the tram have? Any zebras?")
    assert terms == [QueryTerm("stop", 1.0, "stops"), QueryTerm("tram", 1.0, "tram")]  # "zebras": not indexed
    assert scorer.terms("stopping trams") == [QueryTerm("stop", 1.0, "stopping"), QueryTerm("tram", 1.0, "trams")]
    # A noise line is not indexed prose.
    assert not scorer.has_word("halverton") and scorer.terms("halverton render") == []
    assert scorer.has_word("stopped") and not scorer.has_word("zebra")


def test_translations_weigh_by_cosine_and_one_question_word_counts_once(scorer):
    translations = {"schedule": [("tuesday", 0.8), ("council", 0.7), ("bread", 0.5), ("agenda", 0.9)]}
    terms = scorer.terms("schedule", translations)
    # "agenda" is not in the prose: ignored. "tuesday" (best) counts whole; "council", within 0.15 of it, half;
    # "bread", further off, not at all.
    assert terms == [QueryTerm("tuesday", 0.8, "schedule"), QueryTerm("council", 0.35, "schedule")]
    # The question's own word beats a translation onto the same stem, and each source is grouped apart.
    both = scorer.terms("tram council", {"tram": [("council", 0.9)]})
    assert {(t.stem, t.weight, t.source) for t in both} == {("tram", 1.0, "tram"), ("council", 1.0, "council")}


def test_scores_are_bm25_per_row_scaled_by_the_term_weights(scorer):
    whole = scorer.scores([QueryTerm("stop", 1.0, "stops"), QueryTerm("tram", 1.0, "tram")])
    assert whole.shape == (len(ROWS),) and whole.dtype == np.float32
    assert whole[1] > whole[0] > 0  # both terms beat one term
    assert whole[2] == 0 and whole[3] == 0  # the noise line and the bakery share no term
    half = scorer.scores([QueryTerm("stop", 0.5, "stops"), QueryTerm("tram", 0.5, "tram")])
    np.testing.assert_allclose(half, whole / 2, rtol=1e-6)
    assert not scorer.scores([]).any()


def test_each_row_is_stemmed_in_its_articles_language_unless_stems_are_given():
    rows = [row("fr", 1, "Les brevets ont été vendus à Xiaomi."), row("en", 1, "The patents were sold.")]
    lex = LexicalScorer(rows, {"fr": "fr", "en": "en"})
    assert lex.languages == ["en", "fr"]
    assert "brevet" in lex.vocab and "patent" in lex.vocab
    assert {t.stem for t in lex.terms("brevets")} == {"brevet"}
    # The index hands over its stored stems: they are what BM25 indexes, the text is not stemmed again.
    stored = LexicalScorer(rows, {"fr": "fr", "en": "en"}, terms=[["zzbrevet"], ["zzpatent"]])
    assert stored.vocab == {"zzbrevet", "zzpatent"}
    scores = stored.scores([QueryTerm("zzpatent", 1.0, "x")])
    assert scores[1] > 0 and scores[0] == 0
