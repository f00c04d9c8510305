"""bot/corpus/extract.py: article text and metadata from realistic pages, served by a real local HTTP server."""

from __future__ import annotations

import re

import pytest

from bot.config import FetchConfig
from bot.corpus.extract import MIN_ARTICLE_CHARS, Extracted, decode_page, extract_file, extract_html, extract_url
from bot.devtools.pages import PageServer
from bot.errors import ArticleError, FetchError
from tests.support.pages import (
    BOILERPLATE,
    FRENCH_PARAGRAPH,
    NAVIGATION_PAGE,
    NEWS_PAGE,
    NEWS_SIDECAR,
    PARAGRAPHS,
    PAYWALL_PAGE,
    french_page,
    without_meta_tags,
)
from tests.support.waits import GUARD_S

LOCAL = FetchConfig(allow_private_hosts=True, timeout=GUARD_S)

@pytest.fixture
def web_server():
    with PageServer() as server:
        yield server


# --- the realistic page -----------------------------------------------------------------------


def test_a_news_page_gives_its_paragraphs_and_nothing_around_them(web_server):
    url = web_server.page("/news/halverton-tram", NEWS_PAGE)
    article = extract_url(url, LOCAL)
    assert article.text.split("\n\n") == PARAGRAPHS
    for text in BOILERPLATE:
        assert text not in article.text, text
    assert article.sidecar() == NEWS_SIDECAR


def test_metadata_comes_from_json_ld_when_the_page_has_no_meta_tags():
    article = extract_html(without_meta_tags(NEWS_PAGE).encode(), "https://gazette.example/a", "page")
    assert article.text.split("\n\n") == PARAGRAPHS
    assert article.sidecar() == {**NEWS_SIDECAR, "url": "https://gazette.example/a"}


def test_a_redirected_page_reports_its_final_url(web_server):
    final = web_server.page("/2025/story", without_meta_tags(NEWS_PAGE))
    article = extract_url(web_server.redirect("/s/abc", final), LOCAL)
    assert article.url == final and article.title == NEWS_SIDECAR["title"]


def test_sidecar_leaves_out_empty_fields():
    assert Extracted("text", title="T", date=None, author="").sidecar() == {"title": "T"}


# --- no article -------------------------------------------------------------------------------


@pytest.mark.parametrize("page, found", [
    (PAYWALL_PAGE, "only "), ("", "no article text"), ("<html><body></body></html>", "no article text"),
    (NAVIGATION_PAGE, "no article text"), (b"\x00\x01\x02", "no article text"),
])
def test_a_page_without_article_text_is_an_article_error(page, found):
    with pytest.raises(ArticleError) as info:
        extract_html(page, None, "https://news.example/x")
    message = str(info.value)
    assert message.startswith(f"https://news.example/x: {found}")
    assert message.endswith("found in the page (paywalled, or not an article?); save the article text as a "
                            ".txt file in the articles folder instead")


def test_a_paywalled_url_names_the_url(web_server):
    url = web_server.page("/paywalled", PAYWALL_PAGE)
    with pytest.raises(ArticleError, match=f"^{re.escape(url)}: only \\d+ characters of text found"):
        extract_url(url, LOCAL)


def test_the_minimum_is_about_two_sentences():
    assert 100 <= MIN_ARTICLE_CHARS <= 400


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type, declaration", [
    ("text/html; charset=windows-1252", ""),                         # said by the server
    ("text/html", '<meta charset="windows-1252">'),                  # said by the page
    ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),  # cp1252 really
    ("text/html; charset=utf-8", '<meta charset="windows-1252">'),   # the server's label is wrong
    ("text/html", ""),                                               # said by nobody: guessed
])
def test_non_utf8_pages_are_decoded_right(web_server, content_type, declaration):
    url = web_server.page("/fr", french_page(declaration).encode("cp1252"), content_type)
    article = extract_url(url, LOCAL)
    assert FRENCH_PARAGRAPH in article.text.split("\n\n")
    assert article.title == "Un festival de BD à Besançon" and article.language == "fr"


def test_decode_page_honours_a_bom_and_the_charset():
    assert decode_page("\ufeffé".encode("utf-8")) == "é"
    assert decode_page("é€".encode("cp1252"), "latin-1") == "é€"
    assert decode_page("ü".encode(), "unknown-charset") == "ü"
    assert decode_page('<meta charset="utf-16"><p>ü</p>'.encode()) == '<meta charset="utf-16"><p>ü</p>'


# --- plain text, files, what is not a page ----------------------------------------------------


def test_a_plain_text_page_is_taken_as_it_is(web_server):
    body = "Halverton approves tram\r\n\r\n\r\n" + "\r\n\r\n".join(PARAGRAPHS) + "\r\n"
    url = web_server.page("/story.txt", body.encode("cp1252"), "text/plain; charset=windows-1252")
    article = extract_url(url, LOCAL)
    assert article.title == "Halverton approves tram"
    assert article.text.split("\n\n") == ["Halverton approves tram", *PARAGRAPHS]
    assert article.sidecar() == {"title": "Halverton approves tram", "url": url}


def test_a_pdf_url_is_a_fetch_error(web_server):
    url = web_server.page("/report.pdf", b"%PDF-1.7\n...", "application/pdf")
    with pytest.raises(FetchError, match=f"^{re.escape(url)}: is a PDF, not a web page"):
        extract_url(url, LOCAL)


def test_a_private_url_is_refused_by_default(web_server):
    url = web_server.page("/news", NEWS_PAGE)
    with pytest.raises(FetchError, match="allow_private_hosts: true"):
        extract_url(url, FetchConfig())
    assert web_server.requests == []


def test_a_saved_page_is_extracted(tmp_path):
    path = tmp_path / "tram.html"
    path.write_bytes(NEWS_PAGE.encode())
    assert extract_file(path).text.split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize("name, message", [("tram.txt", "expected a saved web page ending in .html"),
                                           ("missing.html", "cannot read the file")])
def test_file_errors(tmp_path, name, message):
    (tmp_path / "tram.txt").write_text("text", encoding="utf-8")
    with pytest.raises(ArticleError, match=f"^{re.escape(str(tmp_path / name))}: {message}"):
        extract_file(tmp_path / name)
