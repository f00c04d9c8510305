"""bot/library/ids.py: ids made from titles, numbered when taken, and the duplicate check per audience."""

from __future__ import annotations

import pytest

from bot.errors import InputError
from bot.library.ids import (
    SLUG_CHARS,
    Duplicate,
    Held,
    base_id,
    check_duplicate,
    check_id,
    slug,
    unique_id,
    without_suffix,
)

TEXT = "The city council approved the Blue Line tram on Tuesday.\n"


def test_slug_is_ascii_lowercase_whole_words():
    assert slug("Halverton approves Blue Line tram!") == "halverton-approves-blue-line-tram"
    assert slug("Élection à Montréal : 61 % des voix") == "election-a-montreal-61-des-voix"
    long = slug("word " * 40)
    assert len(long) <= SLUG_CHARS and long.endswith("word") and "--" not in long  # cut between words
    assert slug("東京 ?!") == ""


def test_base_id_falls_back_and_unique_id_numbers_from_two():
    assert base_id("Tram approved", "file-name") == "tram-approved"
    assert base_id("東京", "tram.en") == "tram.en"  # nothing ASCII in the title
    assert unique_id("tram", set()) == "tram"
    assert unique_id("tram", {"tram"}) == "tram-2"
    assert unique_id("tram", frozenset({"tram", "tram-2", "tram-3"})) == "tram-4"
    assert without_suffix("tram-12") == "tram" and without_suffix("tram.en") == "tram.en"


@pytest.mark.parametrize("good", ["tram", "tram.en", "Tram_2026-03", "7" * 80])
def test_check_id_accepts_file_names(good):
    check_id(good)


@pytest.mark.parametrize("bad", ["", ".hidden", "-tram", "../etc/passwd", "a/b", "tram en", "7" * 81, "tramé"])
def test_check_id_refuses_what_cannot_be_a_file_of_articles(bad):
    with pytest.raises(InputError, match="not a usable article id"):
        check_id(bad)


def held(place: str, url: str | None = None, server: str | None = None, text: str | None = TEXT,
         read: list[str] | None = None) -> Held:
    def get() -> str | None:
        if read is not None:
            read.append(place)
        return text
    return Held(place, url, server, get)


def test_the_same_source_or_the_same_text_is_a_duplicate_named_by_its_place():
    library = [held("already in the library as 'tram'", " https://news.example/Tram/ ")]  # spaces, case, slash
    with pytest.raises(Duplicate, match="https://NEWS.example/tram#top is already in the library as 'tram'"):
        check_duplicate("https://NEWS.example/tram#top", "other text", "the page", None, library)  # fragment
    with pytest.raises(Duplicate, match="upload.txt: the same text is already in the library as 'tram'"):
        check_duplicate(None, f"\n  {TEXT.strip()}  \n", "upload.txt", None, library)  # outer whitespace
    assert issubclass(Duplicate, InputError)
    check_duplicate("https://news.example/bus", "A different article.", "the page", None, library)  # new: no raise
    check_duplicate(None, TEXT, "x", None, [held("an unreadable file", text=None)])  # unreadable: never the same


def test_a_trailing_slash_before_a_fragment_is_the_same_source():
    library = [held("already in the library as 'tram'", "https://news.example/tram")]
    with pytest.raises(Duplicate):
        check_duplicate("https://news.example/tram/#comments", "other text", "the page", None, library)


def test_the_text_is_read_only_when_the_urls_differ():
    read: list[str] = []
    with pytest.raises(Duplicate):
        check_duplicate("https://a.example/x", "new", "n", None, [held("p", "https://a.example/x", read=read)])
    assert read == []
    check_duplicate("https://a.example/y", "new", "n", None, [held("p", "https://a.example/x", read=read)])
    assert read == ["p"]


def test_another_servers_copy_is_neither_a_duplicate_nor_named():
    read: list[str] = []
    private = held("server 222's 'tram'", "https://news.example/tram", server="222", read=read)
    check_duplicate("https://news.example/tram", TEXT, "the page", "111", [private])  # its own copy for 111
    check_duplicate("https://news.example/tram", TEXT, "the page", None, [private])   # or a shared one
    assert read == []  # the other server's file is not even read
    # The same copy blocks its own server; a shared article blocks every server.
    with pytest.raises(Duplicate, match="server 222's 'tram'"):
        check_duplicate("https://news.example/tram", "x", "the page", "222", [private])
    shared = held("the shared 'tram'", "https://news.example/tram")
    with pytest.raises(Duplicate) as err:
        check_duplicate(None, TEXT, "upload.txt", "111", [private, shared])
    assert "shared" in str(err.value) and "222" not in str(err.value)
