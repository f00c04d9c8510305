"""bot/corpus/text.py: one-for-one character normalisation, cleaning, words, language detection."""

from __future__ import annotations

import pytest

from bot.corpus.text import clean, content_words, detect_language, fold, normalize_chars, stem, stopwords, words


def test_normalize_chars_replaces_one_for_one():
    raw = "Xiaomi\u00a0: «\u202fdans un futur proche\u202f», c\u2019est l\u2018idée\u02bc\tici\r"
    out = normalize_chars(raw)
    assert len(out) == len(raw)  # offsets computed on the output are offsets into the input
    assert out == "Xiaomi : « dans un futur proche », c'est l'idée' ici "
    assert "\u00a0" not in out and "\u202f" not in out and "\u2019" not in out


def test_clean_collapses_spaces_and_drops_zero_width_marks():
    assert clean("  Le\u00a0\u00a0Mi\u200b 5\n\n est\u2019 là\ufeff ") == "Le Mi 5 est' là"
    assert clean("\u00a0\u202f\n") == ""


def test_fold_strips_accents_and_case():
    assert fold("États") == "etats"
    assert fold("Crème Brûlée") == "creme brulee"


def test_words_split_elisions_and_hyphens():
    assert words("L\u2019entrée d'Hugo sur le marché États-Unis, en 2017_!") == [
        "l", "entrée", "d", "hugo", "sur", "le", "marché", "états", "unis", "en", "2017"]


def test_content_words_drop_stop_and_question_words():
    assert content_words("What does the article say about the patents?", "en") == ["patents"]
    assert content_words("Qu'est-ce que l'article dit sur les brevets ?", "fr") == ["brevets"]
    # Without a language, stop words of every language are dropped; single digits are kept.
    assert content_words("Is the Xiaomi 5 a phone?") == ["xiaomi", "5", "phone"]


def test_stopwords_include_question_words():
    assert {"what", "article", "the"} <= stopwords("en")
    assert {"pourquoi", "combien", "le"} <= stopwords("fr")


def test_stem_is_language_specific_and_folded():
    assert stem("patents", "en") == stem("patent", "en")
    assert stem("brevets", "fr") == stem("brevet", "fr")
    assert stem("états", "fr") == fold(stem("états", "fr"))


@pytest.mark.parametrize("text, lang", [
    ("The city council approved the new tram line on Tuesday, and the work will start in March.", "en"),
    ("Le conseil municipal a approuvé la nouvelle ligne de tramway mardi, et les travaux commenceront "
     "en mars.", "fr"),
    ("Xiaomi va-t-il finalement faire son entrée sur le marché US\u00a0?", "fr"),
    ("Is Xiaomi coming to the US?", "en"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_detect_language_default_when_nothing_is_known():
    assert detect_language("", default="fr") == "fr"
    assert detect_language("Xiaomi 2017 Barra", default="de") == "de"
