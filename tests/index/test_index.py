"""bot/index/sentence_index.py: build → save → load, the manifest, and every way a saved index can be unusable.

The second half goes through ``bot.engine.ensure_index`` / ``Engine``: each unusable index is rebuilt
transparently, and an index folder that cannot be written still serves from memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import stat

import numpy as np
import pytest

from bot.config import EncoderConfig
from bot.corpus.parse import load_articles
from bot.errors import IndexFormatError
from bot.index.embed import article_vocabulary, context_text
from bot.index.encoders import load_encoder
from bot.index.maintenance import ensure_index
from bot.index.sentence_index import SentenceIndex
from bot.index.store import FORMAT_VERSION, METRIC
from bot.qa.engine import Engine

RUN_INDEX = "run `article-bot index"


def expectation(articles, encoders) -> dict:
    return {"encoders": {role: {"id": e.id, "dim": e.dim} for role, e in encoders.items()},
            "articles": {a.id: a.sha256 for a in articles}}


@pytest.fixture
def built(built_project, encoders):
    """A project whose index (tram + bakery articles) has been built and saved."""
    articles = load_articles(built_project.articles)
    return built_project, articles, SentenceIndex.load(built_project.index, expectation(articles, encoders))


# ----- build, save, load -------------------------------------------------------------------------

def test_build_covers_every_sentence(built, encoders):
    _, articles, index = built
    rows = [s for a in articles for s in a.sentences]
    assert index.rows == rows
    assert [r.id for r in index.rows] == [f"{r.article}#{n}" for a in articles
                                          for n, r in enumerate(a.sentences, start=1)]
    assert set(index.views) == {"dense.ctx", "topic.sent", "topic.vocab"}  # no bare-sentence view: unused
    for view in ("dense.ctx", "topic.sent"):
        assert index.views[view].ntotal == len(rows)
    assert index.views["dense.ctx"].d == 64 and index.views["topic.sent"].d == 32
    assert index.views["topic.vocab"].ntotal == len(index.vocab) > 0
    norms = np.linalg.norm(index.matrix("dense.ctx"), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)


def test_round_trip(built, encoders):
    project, articles, index = built
    loaded = SentenceIndex.load(project.index, expectation(articles, encoders))
    assert loaded.rows == index.rows
    assert loaded.articles == index.articles
    assert loaded.vocab == index.vocab
    assert loaded.manifest == index.manifest
    for view in index.views:
        assert np.array_equal(loaded.matrix(view), index.matrix(view))
    # Without an expectation the index loads too.
    assert SentenceIndex.load(project.index).rows == index.rows


def test_manifest_fields(built):
    project, articles, index = built
    manifest = json.loads((project.index / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["encoders"] == {"dense": {"id": "hashing:64:0", "dim": 64},
                                    "topic": {"id": "hashing:32:0", "dim": 32}}
    assert manifest["metric"] == METRIC
    assert manifest["sentences"] == len(index.rows) == sum(len(a.sentences) for a in articles)
    assert manifest["vocabulary"] == len(index.vocab)
    assert manifest["articles"] == {
        "tram.en": hashlib.sha256((project.articles / "tram.en.txt").read_bytes()).hexdigest(),
        "bakery.en": hashlib.sha256((project.articles / "bakery.en.txt").read_bytes()).hexdigest(),
    }
    assert {"python", "faiss", "numpy"} <= set(manifest["versions"])
    built_at = dt.datetime.fromisoformat(manifest["built_at"])
    assert built_at.tzinfo is not None
    assert abs((dt.datetime.now(dt.UTC) - built_at).total_seconds()) < 600
    expected_files = {"rows.jsonl", "articles.json", "vocab.json", "terms.jsonl", "names.json", "dense.ctx.faiss",
                      "topic.sent.faiss", "topic.vocab.faiss"}
    assert set(manifest["files"]) == expected_files
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((project.index / name).read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in project.index.iterdir()) == sorted(
        expected_files | {"manifest.json", ".gitkeep", "embeddings"})
    assert sorted(p.name for p in (project.index / "embeddings").iterdir()) == sorted(
        f"{key}.npz" for key in manifest["embeddings"].values())
    assert set(manifest["stamps"]) == set(manifest["embeddings"]) == {"tram.en", "bakery.en"}


def test_rows_file_has_one_sentence_per_vector_id(built):
    project, _, index = built
    lines = (project.index / "rows.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(index.rows)
    for n, line in enumerate(lines):
        row = json.loads(line)
        first = index.spans[row["article"]][0]
        assert row["id"] == index.rows[n].id == f"{row['article']}#{n - first + 1}"
        assert index.position(row["id"]) == n
        assert row["text"] == index.rows[n].text


def test_articles_file_holds_metadata(make_project, encoders):
    project = make_project(tram=False, xiaomi=True)
    SentenceIndex.build(load_articles(project.articles), encoders).save(project.index)
    infos = json.loads((project.index / "articles.json").read_text(encoding="utf-8"))
    assert [(a["id"], a["language"], a["title"], a["sentences"]) for a in infos] == [
        ("xiaomi-us.fr", "fr", "Xiaomi va-t-il finalement faire son entrée sur le marché US ?", 14)]
    assert infos[0]["source"].startswith("seed article")
    source = (project.articles / "xiaomi-us.fr.txt").read_bytes()
    assert infos[0]["sha256"] == hashlib.sha256(source).hexdigest()


def test_build_without_topic_encoder(make_project, encoders):
    project = make_project()
    articles = load_articles(project.articles)
    index = SentenceIndex.build(articles, {"dense": encoders["dense"]})
    assert set(index.views) == {"dense.sent", "dense.ctx"}
    assert index.vocab == []
    index.save(project.index)
    loaded = SentenceIndex.load(project.index, expectation(articles, {"dense": encoders["dense"]}))
    assert set(loaded.views) == {"dense.sent", "dense.ctx"}


def test_search_finds_a_sentence_by_its_own_vector(built):
    _, _, index = built
    ids, scores = index.search("dense.ctx", index.matrix("dense.ctx")[5], k=3)
    assert len(ids) == 3 and ids[0] == 5
    assert scores[0] == pytest.approx(1.0, abs=1e-4)
    assert list(scores) == sorted(scores, reverse=True)
    ids, _ = index.search("dense.ctx", index.matrix("dense.ctx")[0], k=10_000)
    assert len(ids) == len(index.rows)


def test_context_view_embeds_the_sentence_under_its_title(built, encoders):
    _, articles, index = built
    assert context_text("Will Halverton get its tram?", "It has 19 stops.") == \
        "Will Halverton get its tram?\n\nIt has 19 stops."
    assert context_text("Same", "Same") == "Same"
    assert context_text("", "It has 19 stops.") == "It has 19 stops."
    titles = {a.id: a.title for a in articles}
    row = next(r for r in index.rows if r.article == "tram.en" and r.kind == "prose")
    expected = encoders["dense"].encode_passages([context_text(titles[row.article], row.text)])[0]
    assert np.allclose(index.matrix("dense.ctx")[index.position(row.id)], expected, atol=1e-5)


def test_article_vocabulary(make_project):
    project = make_project(tram=False, bakery=True)
    vocab = article_vocabulary(load_articles(project.articles))
    assert vocab == sorted(set(vocab))
    assert {"bakery", "flour", "queues"} <= set(vocab)
    assert not {"the", "on", "a"} & set(vocab)
    assert all(len(w) > 2 and not w.isdigit() for w in vocab)


# ----- atomic save -------------------------------------------------------------------------------

def test_save_leaves_no_temporary_folder(built, encoders):
    project, articles, index = built
    index.save(project.index)  # overwrite an existing index
    SentenceIndex.build(articles, encoders).save(project.index)
    assert sorted(p.name for p in project.root.iterdir()) == ["articles", "config.yaml", "index", "index.lock"]
    assert SentenceIndex.load(project.index, expectation(articles, encoders)).rows == index.rows


def test_failed_save_keeps_the_old_index(built, encoders, monkeypatch):
    import faiss

    project, articles, index = built
    before = (project.index / "manifest.json").read_text(encoding="utf-8")
    _add_article(project)
    new_articles = load_articles(project.articles)
    new_index = SentenceIndex.build(new_articles, encoders)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(faiss, "write_index", disk_full)
    with pytest.raises(OSError):
        new_index.save(project.index)
    assert (project.index / "manifest.json").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in project.root.iterdir()) == ["articles", "config.yaml", "index", "index.lock"]
    assert SentenceIndex.load(project.index, expectation(articles, encoders)).rows == index.rows


# ----- load refuses what it cannot use -----------------------------------------------------------

def test_load_missing_folder(tmp_path):
    with pytest.raises(IndexFormatError, match="no index") as err:
        SentenceIndex.load(tmp_path / "index")
    assert RUN_INDEX in str(err.value)


def _edit_article(project):
    path = project.articles / "tram.en.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nA new paragraph was added later.\n", encoding="utf-8")


def _add_article(project):
    project.add_article("market.en.txt", "The market opens on Saturdays. It sells fruit and cheese.\n")


def _remove_article(project):
    (project.articles / "bakery.en.txt").unlink()


@pytest.mark.parametrize("change, what", [
    (_edit_article, "edited: tram.en"),
    (_add_article, "added: market.en"),
    (_remove_article, "removed: bakery.en"),
])
def test_load_stale_articles(built, encoders, change, what):
    project, _, _ = built
    change(project)
    with pytest.raises(IndexFormatError) as err:
        SentenceIndex.load(project.index, expectation(load_articles(project.articles), encoders))
    assert "stale" in str(err.value) and what in str(err.value)
    assert RUN_INDEX in str(err.value)


@pytest.mark.parametrize("roles, needle", [
    ({"dense": ("hashing", "48"), "topic": ("hashing", "32")}, "dense encoder hashing:64:0 (dim 64)"),
    ({"dense": ("hashing", "64"), "topic": ("hashing", "16")}, "config says hashing:16:0 (dim 16)"),
    ({"dense": ("hashing", "64")}, "config wants ['dense']"),
])
def test_load_other_encoders(built, roles, needle):
    project, articles, _ = built
    other = {role: load_encoder(EncoderConfig(*spec)) for role, spec in roles.items()}
    with pytest.raises(IndexFormatError) as err:
        SentenceIndex.load(project.index, expectation(articles, other))
    assert needle in str(err.value)
    assert RUN_INDEX in str(err.value)


def _truncate_faiss(folder):
    path = folder / "dense.ctx.faiss"
    path.write_bytes(path.read_bytes()[:100])


def _garble_faiss(folder):
    path = folder / "topic.vocab.faiss"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_format_2_index_with_made_up_added_times_is_rebuilt_without_encoding(built_project, caplog):
    """Format 2 stored the build time as the "added" time of articles that have none; such an index is
    rebuilt from its embeddings/ (nothing encoded), and the made-up times are gone."""
    folder = built_project.index
    path = folder / "articles.json"
    articles = json.loads(path.read_text(encoding="utf-8"))
    for a in articles:
        a["added_at"] = "2025-01-01T00:00:00+00:00"  # what format 2 wrote: the first build's time
    path.write_text(json.dumps(articles), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 2
    manifest["files"]["articles.json"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="bot"):
        engine = Engine(built_project.config())
    assert "has format 2/" in caplog.text and "(0 encoded, 14 from the store, 0 kept)" in caplog.text
    assert [a.added_at for a in engine.index.articles] == [None, None]


def _delete_rows(folder):
    (folder / "rows.jsonl").unlink()


def _garbage_manifest(folder):
    (folder / "manifest.json").write_text("{ this is not json", encoding="utf-8")


def _list_manifest(folder):
    (folder / "manifest.json").write_text("[1, 2, 3]", encoding="utf-8")


def _binary_manifest(folder):
    (folder / "manifest.json").write_bytes(b"\xff\xfe\x00\x01")


def _other_format(folder):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["format_version"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(manifest), encoding="utf-8")


def _other_pipeline(folder):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["pipeline_version"] = -1
    path.write_text(json.dumps(manifest), encoding="utf-8")


def _unreadable_faiss_with_matching_digest(folder):
    """Corrupt a file and fix its digest: the damage is only seen when FAISS reads it."""
    path = folder / "dense.ctx.faiss"
    path.write_bytes(b"not a faiss index at all")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"]["dense.ctx.faiss"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def _rows_dropped_with_matching_digest(folder):
    path = folder / "rows.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"]["rows.jsonl"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def _delete_manifest(folder):
    (folder / "manifest.json").unlink()


CORRUPTIONS = {
    "truncated faiss": (_truncate_faiss, "missing or corrupt"),
    "garbled faiss": (_garble_faiss, "missing or corrupt"),
    "deleted rows.jsonl": (_delete_rows, "missing or corrupt"),
    "garbage manifest": (_garbage_manifest, "corrupt"),
    "manifest is a list": (_list_manifest, "corrupt"),
    "binary manifest": (_binary_manifest, "corrupt"),
    "other format_version": (_other_format, "has format"),
    "other pipeline_version": (_other_pipeline, "has format"),
    "unreadable faiss": (_unreadable_faiss_with_matching_digest, "cannot be read"),
    "rows and vectors differ": (_rows_dropped_with_matching_digest, "vectors for"),
    "deleted manifest": (_delete_manifest, "no index"),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_load_corrupt_index(built, encoders, name):
    project, articles, _ = built
    damage, needle = CORRUPTIONS[name]
    damage(project.index)
    with pytest.raises(IndexFormatError) as err:
        SentenceIndex.load(project.index, expectation(articles, encoders))
    assert needle in str(err.value)
    assert RUN_INDEX in str(err.value)
    assert "\n" not in str(err.value)


# ----- ensure_index / Engine rebuild what they cannot use ----------------------------------------

MARKER = "kept-only-if-not-rebuilt.txt"


def _mark(folder):
    (folder / MARKER).write_text("x", encoding="utf-8")


def test_ensure_index_builds_then_reuses(project, encoders):
    config = project.config()
    assert not project.index.exists()
    first = ensure_index(config, encoders)
    assert (project.index / "manifest.json").is_file()
    _mark(project.index)
    second = ensure_index(config, encoders)
    assert (project.index / MARKER).exists()  # loaded, not rebuilt
    assert second.rows == first.rows
    assert second.manifest["built_at"] == first.manifest["built_at"]
    forced = ensure_index(config, encoders, force=True)
    assert not (project.index / MARKER).exists()  # force: rebuilt and replaced
    assert forced.rows == first.rows


ARTICLE_CASES = {
    "article edited": lambda p: _edit_article(p),
    "article added": lambda p: _add_article(p),
    "article removed": lambda p: _remove_article(p),
}
REBUILD_CASES = {
    **ARTICLE_CASES,
    "encoder changed": lambda p: p.write_config(dense={"backend": "hashing", "model": "48"}),
    "topic encoder dropped": lambda p: p.write_config(topic=None),
    **{name: (lambda p, damage=damage: damage(p.index)) for name, (damage, _) in CORRUPTIONS.items()},
}


@pytest.mark.parametrize("name", list(REBUILD_CASES))
def test_engine_rebuilds_an_unusable_index(built, name, caplog):
    project, _, _ = built
    _mark(project.index)
    REBUILD_CASES[name](project)
    config = project.config()
    with caplog.at_level(logging.INFO, logger="bot"):
        engine = Engine(config)
    assert not (project.index / MARKER).exists()  # the folder was replaced by a fresh save
    why = "index updated" if name in ARTICLE_CASES else "rebuilding the index"  # articles: incremental
    assert any(why in r.getMessage() for r in caplog.records)
    articles = load_articles(project.articles)
    assert sorted(engine.index.rows, key=lambda r: r.id) == sorted((s for a in articles for s in a.sentences),
                                                                   key=lambda r: r.id)
    assert engine.ask("When will construction begin?").passage is not None
    # The rebuilt index was saved and now loads as it is.
    expect = {"encoders": engine.index.manifest["encoders"], "articles": {a.id: a.sha256 for a in articles}}
    assert SentenceIndex.load(project.index, expect).rows == engine.index.rows
    _mark(project.index)
    Engine(config)
    assert (project.index / MARKER).exists()


def test_rebuild_log_line_says_why(built, caplog):
    project, _, _ = built
    _edit_article(project)
    with caplog.at_level(logging.INFO, logger="bot"):
        Engine(project.config())
    reasons = [r.getMessage() for r in caplog.records if "index" in r.getMessage()]
    assert [r for r in reasons if "rebuilding" in r] == []  # an article edit is an update, not a rebuild
    assert "index updated: edited tram.en" in reasons


def test_read_only_index_folder_serves_from_memory(built, caplog):
    project, _, _ = built
    _edit_article(project)  # the saved index is stale and cannot be replaced
    before = {p.name: p.read_bytes() for p in project.index.rglob("*") if p.is_file()}
    os.chmod(project.root, stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(project.root, os.W_OK):
            pytest.skip("running as root: chmod does not make the folder read-only")
        with caplog.at_level(logging.WARNING, logger="bot"):
            engine = Engine(project.config())
        answer = engine.ask("When will construction begin?")
        assert answer.passage is not None
        assert "A new paragraph was added later." in [r.text for r in engine.index.rows]
        assert any("serving from memory" in r.getMessage() for r in caplog.records)
        assert {p.name: p.read_bytes() for p in project.index.rglob("*") if p.is_file()} == before
    finally:
        os.chmod(project.root, stat.S_IRWXU)


def test_unwritable_index_location_serves_from_memory(project, caplog):
    blocker = project.root / "not-a-folder"
    blocker.write_text("a file where the index folder's parent should be", encoding="utf-8")
    text = project.config_path.read_text(encoding="utf-8")
    project.config_path.write_text(text.replace("index_dir: index", "index_dir: not-a-folder/index"),
                                   encoding="utf-8")
    config = project.config()
    assert config.index_dir == blocker / "index"
    with caplog.at_level(logging.WARNING, logger="bot"):
        engine = Engine(config)
    assert any("serving from memory" in r.getMessage() for r in caplog.records)
    assert engine.ask("When will construction begin?").passage is not None
    assert blocker.is_file()
