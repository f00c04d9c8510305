"""bot/retrieval/casual.py: chat abbreviations written out, in four languages, without touching other words."""

from __future__ import annotations

import pytest

from bot.retrieval.casual import expand


@pytest.mark.parametrize("typed, written", [
    ("wen does drilling start", "when does drilling start"),
    ("whos the ceo", "who is the ceo"),
    ("how many ppl per day?", "how many people per day?"),
    ("hw much r the tickets", "how much are the tickets"),
    ("y did they close it", "why did they close it"),
    ("c quand la reouverture", "c'est quand la reouverture"),
    ("pk ils font ca", "pourquoi ils font ca"),
    ("cb ca coute", "combien ca coute"),
    ("ya combien de stations", "il y a combien de stations"),
    ("xq cerraron el museo", "por qué cerraron el museo"),
    ("cuanto cuesta x persona", "cuanto cuesta por persona"),
    ("¿cdo abre?", "¿cuando abre?"),
    ("wieviel kostet das ticket", "wie viel kostet das ticket"),
    ("gibts fahrradplätze", "gibt es fahrradplätze"),
])
def test_chat_abbreviations_are_written_out(typed, written):
    assert expand(typed) == written


@pytest.mark.parametrize("question", [
    "When will Xiaomi enter the US?",
    "qui a vendu des brevets à Xiaomi ?",
    "y cuando abre el museo",           # Spanish "y" is "and", not "why"
    "ya abrio el museo?",               # Spanish "ya" is "already"
    "c'est quand ?",
    "wie alt ist der Kurator",
    "x marks the spot",                 # not a Spanish question: "x" stays
])
def test_ordinary_words_and_other_languages_are_left_alone(question):
    assert expand(question) == question
