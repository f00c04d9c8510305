"""bot/index/plan.py on its own: plan() sorts what an update finds against a hand-made old index."""

from __future__ import annotations

import pytest

from bot.config import EncoderConfig
from bot.corpus.article import FileStamp
from bot.corpus.parse import parse_text
from bot.index.encoders import load_encoder
from bot.index.plan import embedding_key, plan, wanted_views
from bot.index.sentence_index import SentenceIndex

ADDED = "2030-01-01T00:00:00+00:00"
TRAM_TEXT = "The tram line opens in 2027. It has 19 stops."
TRAM = parse_text(TRAM_TEXT, "tram")
BAKERY = parse_text("The bakery reopened on Monday. It bakes bread.", "bakery")
MUSEUM = parse_text("The museum closes for repairs. It reopens next year.", "museum")


@pytest.fixture(scope="module")
def encoders():
    return {"dense": load_encoder(EncoderConfig("hashing", "64")),
            "topic": load_encoder(EncoderConfig("hashing", "32"))}


@pytest.fixture(scope="module")
def old(encoders) -> SentenceIndex:
    return SentenceIndex.build([TRAM, BAKERY, MUSEUM], encoders)


def views(old: SentenceIndex) -> tuple[str, ...]:
    return tuple(old.manifest["views"])


def test_added_edited_removed_and_kept(old, encoders):
    bakery = parse_text("The bakery reopened on Tuesday. It bakes bread.", "bakery")  # edited text
    ferry = parse_text("A new ferry links the islands. It sails daily.", "ferry")
    p = plan(old, {"tram": TRAM, "bakery": bakery, "ferry": ferry}, encoders, views(old))
    assert (p.added, p.edited, p.removed) == (["ferry"], ["bakery"], ["museum"])
    assert [part.info.id for part in p.kept] == ["tram"]
    keys = {a.id: key for a, key in p.pending}
    assert list(keys) == ["bakery", "ferry"]
    assert keys == {a.id: embedding_key(a, encoders, views(old)) for a in (bakery, ferry)}


def test_a_kept_article_keeps_its_rows_stems_names_and_key(old, encoders):
    stamp = FileStamp("museum.txt", 52, 7)  # a stamp: unchanged since the old index, not parsed again
    p = plan(old, {"tram": TRAM, "museum": stamp}, encoders, views(old))
    assert p.pending == [] and p.added == [] and p.edited == [] and p.removed == ["bakery"]
    tram, museum = p.kept
    first, end = old.spans["tram"]
    assert tram.rows == old.rows[first:end] and tram.terms == old.terms[first:end]
    assert tram.key == old.manifest["embeddings"]["tram"] and tram.names == old.names["tram"]
    assert museum.stamp == stamp and museum.info == old.article("museum")
    assert tram.info == old.article("tram")


def test_what_the_vectors_do_not_depend_on_is_refreshed_without_embedding(old, encoders):
    resourced = parse_text(TRAM_TEXT, "tram", {"source": "Gazette", "added_at": ADDED})
    assert resourced.sha256 == TRAM.sha256
    p = plan(old, {"tram": resourced, "bakery": BAKERY, "museum": MUSEUM}, encoders, views(old))
    assert p.edited == [] and p.pending == []
    kept = {part.info.id: part.info for part in p.kept}
    assert kept["tram"].source == "Gazette" and kept["tram"].added_at == ADDED


def test_the_title_the_encoders_or_the_views_change_the_key(old, encoders):
    retitled = parse_text(TRAM_TEXT, "tram", {"title": "Tram news"})
    assert plan(old, {"tram": retitled}, encoders, views(old)).edited == ["tram"]
    bigger = {**encoders, "dense": load_encoder(EncoderConfig("hashing", "128"))}
    everything = {"tram": TRAM, "bakery": BAKERY, "museum": MUSEUM}
    assert plan(old, everything, bigger, views(old)).edited == ["tram", "bakery", "museum"]
    fewer = wanted_views(encoders, bare_sentences=False)
    assert set(fewer) == set(views(old)) - {"dense.sent"}
    assert plan(old, everything, encoders, fewer).edited == ["tram", "bakery", "museum"]


def test_with_no_old_index_everything_is_added_and_a_new_article_must_be_parsed(old, encoders):
    p = plan(None, {"tram": TRAM, "bakery": BAKERY}, encoders, views(old))
    assert p.added == ["tram", "bakery"] and p.kept == [] and p.removed == [] and len(p.pending) == 2
    with pytest.raises(ValueError, match="ferry: a new article must be parsed"):
        plan(old, {"ferry": FileStamp("ferry.txt", 1, 1)}, encoders, views(old))


def test_the_added_time_is_the_sidecars_never_the_builds(old, encoders):
    """An article put in articles/ by hand has no added time: none is made up (the build's was shown)."""
    assert [a.added_at for a in old.articles] == [None, None, None]
    dated = parse_text("A new ferry links the islands. It sails daily.", "ferry", {"added_at": ADDED})
    index = SentenceIndex.build([TRAM, BAKERY, dated], encoders)
    assert {a.id: a.added_at for a in index.articles} == {"tram": None, "bakery": None, "ferry": ADDED}
