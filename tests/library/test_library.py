"""`article-bot add / remove / list` against a real HTTP server on 127.0.0.1, and the incremental index
behind them: one line and a non-zero exit for every bad input, with ``articles/`` and ``index/``
exactly as before; stable sentence ids; an update interrupted half-way leaves the previous index.
"""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
import yaml

from bot.config import EncoderConfig
from bot.corpus.parse import load_articles
from bot.discord.journal import Journal
from bot.errors import InputError
from bot.index.encoders import load_encoder
from bot.index.maintenance import ensure_index
from bot.index.sentence_index import SentenceIndex
from bot.qa.engine import Engine, Scope
from tests.support.cli import cli, snapshot
from tests.support.pages import FRENCH_PARAGRAPH, NEWS_PAGE, PARAGRAPHS, PAYWALL_PAGE, SECOND_PAGE, french_page
from tests.support.waits import GUARD_S


@pytest.fixture
def local(make_project):
    """A tram project whose config lets the bot fetch from 127.0.0.1 (tests only), with its index built."""
    project = make_project()
    data = yaml.safe_load(project.config_path.read_text(encoding="utf-8"))
    data["fetch"] = {"allow_private_hosts": True, "timeout": GUARD_S, "max_bytes": 200_000}
    project.config_path.write_text(yaml.safe_dump(data), encoding="utf-8")
    Engine(project.config())
    return project


# ----- add ---------------------------------------------------------------------------------------

def test_add_a_url_stores_text_and_sidecar_indexes_only_it_and_answers(capsys, local, server):
    url = server.page("/news/halverton-tram", NEWS_PAGE)
    before = SentenceIndex.load(local.index)
    code, out, err = cli(capsys, "add", url, "--config", local.config_path)
    assert code == 0, err
    art_id = "halverton-approves-blue-line-tram-after-decade-of-debate"
    assert out.startswith(f"added {art_id}: ")
    text = (local.articles / f"{art_id}.txt").read_text(encoding="utf-8")
    assert all(p in text for p in PARAGRAPHS) and "cookies" not in text
    side = yaml.safe_load((local.articles / f"{art_id}.yaml").read_text(encoding="utf-8"))
    assert side["title"] == "Halverton approves Blue Line tram after decade of debate"
    assert (side["date"], side["author"], side["site_name"]) == ("2025-03-11", "Maria Lindqvist",
                                                                 "The Halverton Gazette")
    assert side["url"].startswith("https://gazette.example/") and side["added_at"]
    after = SentenceIndex.load(local.index)
    n = after.spans[art_id][1] - after.spans[art_id][0]
    assert f"{n} sentences" in out
    assert after.rows[: len(before.rows)] == before.rows  # the old rows stay first, untouched
    assert after.manifest["embeddings"]["tram.en"] == before.manifest["embeddings"]["tram.en"]
    code, out, _ = cli(capsys, "ask", "the line will run how many kilometres from Northgate", "--article", art_id,
                       "--config",
                       local.config_path)
    assert code == 0 and "14.2 kilometres" in out
    code, out, _ = cli(capsys, "list", "--json", "--config", local.config_path)
    listed = {a["id"]: a for a in json.loads(out.strip().splitlines()[-1])}
    assert set(listed) == {"tram.en", art_id}
    assert listed[art_id]["url"] == side["url"] and listed[art_id]["sentences"] == n
    assert listed[art_id]["added_at"] == side["added_at"] and listed[art_id]["language"] == "en"


def test_add_embeds_only_the_new_article(local, server, monkeypatch):
    """Counted at the encoder: the update encodes the new article's sentences, nothing of the others."""
    from bot.index import maintenance as engine_module
    from bot.library.store import add

    encoded: list[str] = []
    real = engine_module.load_encoders

    def counting(config):
        encoders = real(config)
        for enc in encoders.values():
            original = enc.encode_passages
            enc.encode_passages = lambda texts, original=original: (encoded.extend(texts), original(texts))[1]
        return encoders

    monkeypatch.setattr(engine_module, "load_encoders", counting)
    index, art_id = add(local.config(), server.page("/a", NEWS_PAGE), None)
    new_rows = [r for r in index.rows if r.article == art_id]
    assert encoded and not [t for t in encoded if t.startswith("Will Halverton finally get its tram?")]
    assert len([t for t in encoded if t.startswith(index.articles[-1].title + "\n\n")]) == len(new_rows)
    assert index.changes.added == (art_id,) and index.changes.embedded == len(new_rows)


def test_add_a_saved_page_and_a_text_file_with_an_id(capsys, local, tmp_path):
    page = tmp_path / "saved.html"
    page.write_bytes(french_page('<meta charset="windows-1252">').encode("cp1252"))
    note = tmp_path / "note.txt"
    note.write_text("The ferry to Merrow Island will run every hour from May. It takes 40 minutes.\n",
                    encoding="utf-8")
    code, out, err = cli(capsys, "add", note, "--id", "ferry", "--config", local.config_path)
    assert code == 0, err
    assert out.startswith("added ferry: 2 sentences, en")
    assert (local.articles / "ferry.txt").is_file()
    code, out, err = cli(capsys, "add", page, "--config", local.config_path)
    assert code == 0, err
    art_id = out.split(":")[0].removeprefix("added ")
    text = (local.articles / f"{art_id}.txt").read_text(encoding="utf-8")
    assert FRENCH_PARAGRAPH.split(".")[0] in text  # decoded from cp1252, accents intact


def test_the_id_comes_from_the_title_the_article_gets(capsys, local, tmp_path):
    """`add --help`: the id is made from the title, else the file name; a .txt without a sidecar title
    gets its first line as its title, and its id from it (not from the file name)."""
    titled = tmp_path / "notes-2025.txt"
    titled.write_text("Merrow Island ferry will run every hour\n\nThe ferry to Merrow Island will run every hour "
                      "from May. It takes 40 minutes.\n", encoding="utf-8")
    code, out, err = cli(capsys, "add", titled, "--config", local.config_path)
    assert code == 0, err
    assert out.startswith("added merrow-island-ferry-will-run-every-hour: ")
    assert " — Merrow Island ferry will run every hour [" in out
    assert (local.articles / "merrow-island-ferry-will-run-every-hour.txt").is_file()
    side = tmp_path / "bakery.yaml"
    side.write_text("title: Station Road bakery reopens\n", encoding="utf-8")
    side.with_suffix(".txt").write_text("The old bakery reopened on Monday. It bakes bread.\n", encoding="utf-8")
    assert cli(capsys, "add", side.with_suffix(".txt"), "--config", local.config_path)[1].startswith(
        "added station-road-bakery-reopens: ")  # the sidecar's title first
    untitled = tmp_path / "ostrov.txt"  # a title with no letter a slug can keep: the file name
    untitled.write_text("Паром ходит каждый час.\n\nПаром до острова ходит каждый час. Он идёт сорок минут.\n",
                        encoding="utf-8")
    assert cli(capsys, "add", untitled, "--config", local.config_path)[1].startswith("added ostrov: ")


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redirect_loop(server):
    server.redirect("/loop-b", server.url("/loop-a"))
    return server.redirect("/loop-a", server.url("/loop-b"))


BAD = {
    "unreachable host": (lambda s, p, t: f"http://127.0.0.1:{_closed_port()}/story", "cannot connect"),
    "HTTP 404": (lambda s, p, t: s.url("/missing"), "HTTP 404"),
    "HTTP 500": (lambda s, p, t: s.page("/e", "oops", status=500), "HTTP 500"),
    "redirect loop": (lambda s, p, t: _redirect_loop(s), "redirect loop"),
    "too large": (lambda s, p, t: s.page("/big", NEWS_PAGE + "<p>" + "x" * 300_000 + "</p>"), "over the limit"),
    "PDF": (lambda s, p, t: s.page("/p.pdf", b"%PDF-1.7 ...", "application/pdf"), "PDF"),
    "image": (lambda s, p, t: s.page("/i", b"\xff\xd8\xff\xe0", "image/jpeg"), "image"),
    "paywall": (lambda s, p, t: s.page("/pay", PAYWALL_PAGE), "paywalled"),
    "file URL": (lambda s, p, t: "file:///etc/passwd", "only http:// and https://"),
    "ftp URL": (lambda s, p, t: "ftp://127.0.0.1/a", "only http:// and https://"),
    "non-UTF-8 file": (lambda s, p, t: _file(t, "latin.txt", "Le café ouvre à 8 h.".encode("latin-1")), "not UTF-8"),
    "empty file": (lambda s, p, t: _file(t, "empty.txt", b""), "empty"),
    "missing file": (lambda s, p, t: str(t / "nope.txt"), "no such file"),
    "PDF file": (lambda s, p, t: _file(t, "a.pdf", b"%PDF-1.7"), "not an article file"),
    "existing id": (lambda s, p, t: _file(t, "tram.en.txt", "Трамвай\n\nA different tram story. It runs at "
                                                            "night.\n".encode()),  # no slug: the file name's id
                    "already exists"),
    "duplicate content": (lambda s, p, t: str(p.articles / "tram.en.txt"), "already in the library"),
}


def _file(folder, name, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_one_line_nonzero_and_nothing_changed(capsys, local, server, tmp_path, case):
    source, needle = BAD[case]
    source = source(server, local, tmp_path)
    before = snapshot(local)
    code, out, err = cli(capsys, "add", source, "--config", local.config_path)
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("article-bot: error:") and needle in lines[0], err
    assert snapshot(local) == before


def test_duplicate_url_and_private_hosts(capsys, local, server, make_project):
    url = server.page("/news/t", NEWS_PAGE)
    assert cli(capsys, "add", url, "--config", local.config_path)[0] == 0
    before = snapshot(local)
    code, _, err = cli(capsys, "add", server.page("/again", NEWS_PAGE), "--config", local.config_path)
    assert code == 2 and "already in the library" in err  # same canonical URL, same text
    assert snapshot(local) == before
    default = make_project()  # no fetch section: private hosts refused, before any connection
    for host in ("127.0.0.1", "localhost"):
        served = len(server.requests)
        code, _, err = cli(capsys, "add", server.url("/news/t", host=host), "--config", default.config_path)
        assert code == 2 and "allow_private_hosts" in err
        assert len(server.requests) == served
    assert sorted(p.name for p in default.articles.iterdir()) == ["tram.en.txt", "tram.en.yaml"]


def test_add_rolls_back_when_indexing_fails(capsys, local, server, monkeypatch):
    from bot.index import sentence_index as index_module

    before = snapshot(local)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_module, "embed", broken)
    code, out, err = cli(capsys, "add", server.page("/n", NEWS_PAGE), "--config", local.config_path)
    assert code == 2 and "No space left on device" in err and "nothing was changed" in err
    assert snapshot(local) == before


def test_remove_puts_the_files_back_when_the_index_cannot_follow(capsys, local, server, monkeypatch):
    from bot.index import sentence_index as index_module

    cli(capsys, "add", server.page("/n", NEWS_PAGE), "--id", "news", "--config", local.config_path)
    before = snapshot(local)
    code, _, err = cli(capsys, "remove", "tram.en", "--config", local.config_path)
    assert code == 0, err
    code, _, err = cli(capsys, "remove", "news", "--config", local.config_path)
    assert code == 2 and "only article" in err  # the last one stays: the bot needs one to answer
    code, _, err = cli(capsys, "add", server.page("/t", SECOND_PAGE), "--id", "other", "--config", local.config_path)
    assert code == 0, err
    before = snapshot(local)

    def broken(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(index_module.SentenceIndex, "save", broken)
    monkeypatch.setattr(index_module.SentenceIndex, "update", classmethod(lambda cls, *a, **k: broken()))
    code, _, err = cli(capsys, "remove", "news", "--config", local.config_path)
    assert code == 2 and "Read-only file system" in err
    assert snapshot(local) == before


# ----- remove and list ---------------------------------------------------------------------------

def test_remove_drops_the_article_and_its_rows(capsys, local, server):
    cli(capsys, "add", server.page("/n", NEWS_PAGE), "--id", "news", "--config", local.config_path)
    code, out, err = cli(capsys, "remove", "news", "--config", local.config_path)
    assert code == 0 and out.startswith("removed news: 1 article(s)"), err
    assert sorted(p.name for p in local.articles.iterdir()) == ["tram.en.txt", "tram.en.yaml"]
    index = SentenceIndex.load(local.index)
    assert {r.article for r in index.rows} == {"tram.en"}
    code, _, err = cli(capsys, "remove", "news", "--config", local.config_path)
    assert code == 2 and "no article with the id 'news'" in err and "tram.en" in err


def test_list_text(capsys, local):
    code, out, _ = cli(capsys, "list", "--config", local.config_path)
    assert code == 0 and out.startswith("tram.en: Will Halverton finally get its tram? [en, ")


# ----- stable ids, incremental updates, interruption ---------------------------------------------

def test_a_vote_still_points_at_its_sentence_after_an_earlier_sorting_article_is_added(local, tmp_path):
    engine = Engine(local.config())
    answer = engine.ask("When will construction begin?")
    sentence = answer.passage.sentence
    store = Journal(tmp_path / "feedback.sqlite3")
    store.record(answer.question, str(answer.tier), article=sentence.article, sentence_id=sentence.id)
    old_position = engine.index.position(sentence.id)
    local.add_article("aaa-first.en.txt", "An earlier article about apples. Apples grow in the valley.\n"
                                          "\nThe harvest starts in September.\n")
    engine.reload()
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as conn:
        (stored,) = conn.execute("SELECT sentence_id FROM questions").fetchone()
    assert stored == sentence.id == "tram.en#" + sentence.id.split("#")[1]
    assert engine.index.rows[engine.index.position(stored)].text == sentence.text
    full = SentenceIndex.build(load_articles(local.articles), _encoders())
    assert full.rows[full.position(stored)].text == sentence.text  # a from-scratch build agrees
    assert full.position(stored) != old_position  # ... where the row number did move


def _encoders():
    return {"dense": load_encoder(EncoderConfig("hashing", "64")),
            "topic": load_encoder(EncoderConfig("hashing", "32"))}


def test_edit_and_remove_rebuild_views_without_encoding_the_others(local):
    config = local.config()
    local.add_article("bakery.en.txt", "The bakery reopened on Monday. It sells bread.\n")
    encoders = _encoders()
    ensure_index(config, encoders)
    path = local.articles / "bakery.en.txt"
    path.write_text("The bakery reopened on Monday. It sells bread and cakes.\n", encoding="utf-8")
    edited = ensure_index(config, encoders)
    assert edited.changes.edited == ("bakery.en",) and edited.changes.embedded == 2 and edited.changes.rebuilt_views
    path.unlink()
    removed = ensure_index(config, encoders)
    assert removed.changes.removed == ("bakery.en",) and removed.changes.embedded == 0
    path.write_text("The bakery reopened on Monday. It sells bread.\n", encoding="utf-8")
    back = ensure_index(config, encoders)  # a removed article's vectors leave embeddings/ with it
    assert back.changes.added == ("bakery.en",) and back.changes.embedded == 2
    engine = Engine(config)
    assert engine.ask("it sells what", article="bakery.en").passage.sentence.text == \
        "It sells bread."


def test_an_update_interrupted_half_way_leaves_the_previous_index_serving(local, monkeypatch):
    config = local.config()
    before = snapshot(local)
    local.add_article("bakery.en.txt", "The bakery reopened on Monday. It sells bread.\n")

    def crash(target, manifest, fresh, sources):
        target.mkdir()
        raise SystemExit("killed half-way through writing the new index")

    from bot.index import store as index_store

    monkeypatch.setattr(index_store, "save_embeddings", crash)
    with pytest.raises(SystemExit):
        ensure_index(config, _encoders())
    monkeypatch.undo()
    after = {k: v for k, v in snapshot(local).items() if not k.startswith("articles/bakery")}
    assert after == before  # index/ byte for byte as it was
    # no temp folder (index.lock is the library's lock file: bot/library.lock)
    assert sorted(p.name for p in local.root.iterdir()) == ["articles", "config.yaml", "index", "index.lock"]
    served = SentenceIndex.load(local.index)
    assert {r.article for r in served.rows} == {"tram.en"}
    resumed = ensure_index(config, _encoders())  # the next start completes the update
    assert resumed.changes.added == ("bakery.en",)


def test_unchanged_corpus_is_loaded_without_reading_articles(local, monkeypatch):
    from bot.corpus import parse as ingest

    def no_parse(path):
        raise AssertionError(f"{path} was parsed although unchanged")

    monkeypatch.setattr(ingest, "parse_article", no_parse)
    index = ensure_index(local.config(), _encoders())
    assert index.changes.any is False and {a.id for a in index.articles} == {"tram.en"}


def test_a_save_killed_between_its_two_renames_is_recovered(local):
    """The old folder set aside, the new one not yet in place: the next start puts the old one back
    (its embeddings/ included, so nothing is encoded again) and clears the leftovers."""
    import os

    config = local.config()
    aside = local.root / f".index-old-{os.getpid() + 1}"
    os.replace(local.index, aside)
    (local.root / ".index-abc123").mkdir()  # a temporary folder of a save that died
    (local.root / ".index-abc123" / "rows.jsonl").write_text("", encoding="utf-8")
    os.utime(local.root / ".index-abc123", (0, 0))
    index = ensure_index(config, _encoders())
    assert index.changes.any is False and index.changes.embedded == 0
    assert sorted(p.name for p in local.root.iterdir()) == ["articles", "config.yaml", "index", "index.lock"]


def test_a_duplicate_id_file_is_checked_again_once_the_other_goes(local):
    config = local.config()
    local.add_article("bakery.en.txt", "The bakery reopened on Monday. It sells bread.\n")
    ensure_index(config, _encoders())
    clash = local.add_article("bakery.en.md", "Another bakery text. It sells cakes.\n")
    first = ensure_index(config, _encoders())
    assert [s.stamp.name for s in first.skipped] == ["bakery.en.txt"]  # name order: the .md wins the id
    clash.unlink()
    again = ensure_index(config, _encoders())
    assert again.skipped == [] and "It sells bread." in [r.text for r in again.rows]


def test_a_page_slower_than_fetch_timeout_is_refused_and_nothing_changes(capsys, local, server):
    """The handler never answers until the test is over; the bot gives up at fetch.timeout."""

    async def hang(request):
        await server.released()
        raise AssertionError("released only at teardown")

    url = server.handle("/slow", hang)
    data = yaml.safe_load(local.config_path.read_text(encoding="utf-8"))
    data["fetch"]["timeout"] = 0.5
    local.config_path.write_text(yaml.safe_dump(data), encoding="utf-8")
    before = snapshot(local)
    code, out, err = cli(capsys, "add", url, "--config", local.config_path)
    assert code == 2 and out == "" and "within 0.5 s" in err and len(err.strip().splitlines()) == 1
    assert snapshot(local) == before


# ----- articles per server, concurrent changes ---------------------------------------------------

def test_a_server_sees_shared_articles_and_its_own_only(capsys, local, tmp_path):
    source = tmp_path / "news.txt"
    source.write_text("The ferry leaves at noon. The ferry carries forty cars.\n", encoding="utf-8")
    engine = Engine(local.config())
    info = engine.add(str(source), "news", server="111")
    assert info.server == "111" and info.id == "news"
    sees = lambda server: set(engine.article_ids(Scope(server)))  # noqa: E731
    assert sees("111") == {"tram.en", "news"} and sees("222") == {"tram.en"}
    assert sees(None) == {"tram.en"}  # direct messages: shared articles only
    question = "how many cars does the ferry carry"
    assert engine.ask(question, scope=Scope("111")).passage.sentence.article == "news"
    assert engine.ask(question, scope=Scope("222")).passage.sentence.article == "tram.en"
    with pytest.raises(InputError, match="unknown article 'news'"):
        engine.ask(question, article="news", scope=Scope("222"))
    with pytest.raises(InputError, match="unknown article 'news'"):
        engine.summary(article="news", scope=Scope("222"))
    with pytest.raises(InputError, match="no article with the id 'news' that you can remove"):
        engine.remove("news", server="222")
    with pytest.raises(InputError, match="no article with the id 'tram.en' that you can remove"):
        engine.remove("tram.en", server="111")  # shared: only the operator removes it
    code, out, _ = cli(capsys, "list", "--config", local.config_path)
    assert "news: " in out and "server 111" in out and "shared" in out
    code, out, _ = cli(capsys, "list", "--json", "--config", local.config_path)
    assert {a["id"]: a["server"] for a in json.loads(out.strip().splitlines()[-1])} == {"news": "111",
                                                                                          "tram.en": None}
    engine.remove("news", server="111")
    assert engine.article_ids() == ["tram.en"]


def test_a_sidecar_cannot_claim_a_server(local, tmp_path):
    """Ownership comes from who adds an article, never from the file it is added from."""
    source = tmp_path / "claim.txt"
    source.write_text("The ferry leaves at noon. It carries forty cars.\n", encoding="utf-8")
    source.with_suffix(".yaml").write_text("title: Ferry\nserver: '999'\n", encoding="utf-8")
    engine = Engine(local.config())
    assert engine.add(str(source)).server is None
    assert "server" not in yaml.safe_load((local.articles / "ferry.yaml").read_text(encoding="utf-8"))


def test_questions_during_an_add_are_answered_from_the_previous_index(local, server):
    """The add blocks inside the embedding; a question asked meanwhile is answered, from the old index."""
    engine = Engine(local.config())
    before = engine.index
    embedding, release = threading.Event(), threading.Event()
    encoder = engine._encoders["dense"]
    real = encoder.encode_passages

    def slow(texts):
        embedding.set()
        assert release.wait(GUARD_S)
        return real(texts)

    encoder.encode_passages = slow
    result: list = []
    adder = threading.Thread(target=lambda: result.append(engine.add(server.page("/n", NEWS_PAGE), "news")))
    adder.start()
    assert embedding.wait(GUARD_S)
    answer = engine.ask("When will construction begin?")
    assert answer.passage.sentence.article == "tram.en" and engine.index is before
    release.set()
    adder.join(GUARD_S)
    assert result and result[0].id == "news" and engine.index is not before
    assert engine.article_ids() == ["news", "tram.en"]


def test_two_adds_at_once_both_land_and_the_index_stays_whole(local, server):
    """Two engines (two processes' worth: the bot and `article-bot add`) add at the same moment."""
    first, second = Engine(local.config()), Engine(local.config())
    urls = [server.page("/a", NEWS_PAGE), server.page("/b", SECOND_PAGE)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(engine, url, art_id):
        start.wait(GUARD_S)
        try:
            engine.add(url, art_id)
        except BaseException as err:  # noqa: BLE001 - collected for the assertion below
            errors.append(err)

    threads = [threading.Thread(target=add, args=(first, urls[0], "one")),
               threading.Thread(target=add, args=(second, urls[1], "two"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(GUARD_S)
    assert errors == []
    on_disk = SentenceIndex.load(local.index)
    assert sorted(on_disk.spans) == ["one", "tram.en", "two"]
    rebuilt = SentenceIndex.build(load_articles(local.articles), _encoders())
    assert sorted(r.id for r in on_disk.rows) == sorted(r.id for r in rebuilt.rows)
    fresh = Engine(local.config())
    assert fresh.index.changes.any is False  # the saved index matches the files: nothing to redo


def test_two_servers_adding_the_same_page_at_once_both_get_it(local, server, monkeypatch):
    """Both pages are read before either is written (the bot has several library workers): the
    second gets the next free id, never "the id is taken" for an id its moderator did not give."""
    from bot.library import store as library

    url = server.page("/news/tram", NEWS_PAGE)
    engine = Engine(local.config())
    real, both_read = library.prepare, threading.Barrier(2, timeout=GUARD_S)

    def prepare(*args, **kwargs):
        item = real(*args, **kwargs)
        both_read.wait()
        return item

    monkeypatch.setattr(library, "prepare", prepare)
    added: dict[str, str] = {}
    threads = [threading.Thread(target=lambda s=s: added.setdefault(s, engine.add(url, None, s, url_only=True).id))
               for s in ("111", "222")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(GUARD_S)
    tram = "halverton-approves-blue-line-tram-after-decade-of-debate"
    assert sorted(added.values()) == [tram, f"{tram}-2"]
    assert {a.id: a.server for a in engine.index.articles if a.id.startswith(tram)} == \
        {added["111"]: "111", added["222"]: "222"}
