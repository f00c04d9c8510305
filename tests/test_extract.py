"""bot/extract.py: article text and metadata from realistic pages, served by a real local HTTP server."""

from __future__ import annotations

import re

import pytest

from bot.config import FetchConfig
from bot.errors import ArticleError, FetchError
from bot.extract import MIN_ARTICLE_CHARS, Extracted, decode_page, extract_file, extract_html, extract_url

from .waits import GUARD_S
from .webserver import PageServer

LOCAL = FetchConfig(allow_private_hosts=True, timeout=GUARD_S)

#: A news page as sites serve them: cookie banner, menu, breadcrumb, share links, a newsletter box
#: inside the article, tags, related articles, comments and a footer around five paragraphs.
NEWS_PAGE = """\
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Halverton approves Blue Line tram | The Halverton Gazette</title>
<meta name="description" content="The city council approved the Blue Line tram by nine votes to two.">
<meta property="og:title" content="Halverton approves Blue Line tram after decade of debate">
<meta property="og:site_name" content="The Halverton Gazette">
<meta property="og:type" content="article">
<meta property="og:url" content="https://gazette.example/news/2025/03/halverton-tram">
<meta name="author" content="Maria Lindqvist">
<meta property="article:published_time" content="2025-03-11T09:30:00+00:00">
<link rel="canonical" href="https://gazette.example/news/2025/03/halverton-tram">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Halverton approves Blue Line tram after decade of debate",
 "datePublished": "2025-03-11T09:30:00+00:00", "dateModified": "2025-03-12T08:00:00+00:00",
 "author": {"@type": "Person", "name": "Maria Lindqvist"},
 "publisher": {"@type": "Organization", "name": "The Halverton Gazette"}}
</script>
<script>window.dataLayer = [{"page": "article"}];</script>
<style>.cookie-banner { position: fixed; }</style>
</head>
<body>
<div id="cookie-banner" class="cookie-banner cookie-consent">
  <p>We use cookies to improve your experience. By continuing to browse you accept our cookie policy and our
    partners' use of tracking technologies.</p>
  <button>Accept all cookies</button> <button>Manage preferences</button>
</div>
<header class="site-header">
  <a href="/" class="logo">The Halverton Gazette</a>
  <nav class="main-nav">
    <ul>
      <li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
      <li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li>
      <li><a href="/weather">Weather forecast for the whole region</a></li>
    </ul>
  </nav>
  <form class="search"><input type="search" placeholder="Search the Gazette"></form>
</header>
<main>
<article class="article">
  <nav class="breadcrumb"><a href="/news">News</a> &rsaquo; <a href="/news/local">Local</a></nav>
  <h1 class="headline">Halverton approves Blue Line tram after decade of debate</h1>
  <div class="byline">By <span class="author">Maria Lindqvist</span>, transport correspondent
    <time datetime="2025-03-11T09:30:00Z">11 March 2025</time></div>
  <div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email this
    story</a></div>
  <div class="article-body">
    <p>The city council approved the Blue Line tram on Tuesday by nine votes to two, ending a debate that has
      divided Halverton for more than a decade.</p>
    <p>The line will run 14.2 kilometres from Northgate to the Riverside hospital. It will have 19 stops, including
      an interchange at Central station, and trams will run every seven minutes at peak times.</p>
    <figure><img src="/img/tram.jpg" alt="A tram on Mill Street"><figcaption>An artist's impression of a tram on
      Mill Street.</figcaption></figure>
    <p>Dr. Alice Moreno, who leads the project, said the supplier would deliver the first trams in 2027. "This is
      the biggest investment in public transport the city has ever made," she told councillors.</p>
    <aside class="newsletter-signup"><p>Sign up for our morning briefing: the day's top stories in your inbox before
      breakfast.</p></aside>
    <p>Construction will begin in March 2026. The total cost is estimated at $612 million, of which the national
      government will pay two thirds.</p>
    <p>Opponents on the council said the money would be better spent on buses. Councillor Tom Reyes, who voted
      against, called the plan "a very expensive way to move very few people".</p>
  </div>
  <div class="tags">Tags: <a href="/tag/transport">Transport</a> <a href="/tag/council">Council</a></div>
</article>
<section class="related-articles">
  <h2>Related articles</h2>
  <ul>
    <li><a href="/news/2024/bus-fares">Bus fares to rise by ten per cent from April, operator confirms</a></li>
    <li><a href="/news/2024/bridge">Mill Street bridge closed for six months of repairs next year</a></li>
    <li><a href="/news/2023/tram-vote">Tram vote delayed again as council asks for a new cost study</a></li>
  </ul>
</section>
<section id="comments" class="comments">
  <h2>Comments (2)</h2>
  <div class="comment"><p class="comment-author">trampaul</p><p>Finally! I have been waiting for this tram since I
    was a student at the university.</p></div>
  <div class="comment"><p class="comment-author">busfan</p><p>What a waste of taxpayers' money, the buses are
    perfectly fine as they are.</p></div>
</section>
</main>
<footer class="site-footer">
  <p>&copy; 2025 The Halverton Gazette Ltd. All rights reserved. Registered in England and Wales.</p>
  <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms and conditions</a></li><li><a
    href="/contact">Contact the newsroom</a></li></ul>
</footer>
</body>
</html>
"""

PARAGRAPHS = [
    "The city council approved the Blue Line tram on Tuesday by nine votes to two, ending a debate that has "
    "divided Halverton for more than a decade.",
    "The line will run 14.2 kilometres from Northgate to the Riverside hospital. It will have 19 stops, including "
    "an interchange at Central station, and trams will run every seven minutes at peak times.",
    'Dr. Alice Moreno, who leads the project, said the supplier would deliver the first trams in 2027. "This is '
    'the biggest investment in public transport the city has ever made," she told councillors.',
    "Construction will begin in March 2026. The total cost is estimated at $612 million, of which the national "
    "government will pay two thirds.",
    "Opponents on the council said the money would be better spent on buses. Councillor Tom Reyes, who voted "
    'against, called the plan "a very expensive way to move very few people".',
]

#: Text of the page around the article, none of which may reach the article text.
BOILERPLATE = ["cookies", "Accept all", "Sport", "Weather forecast", "Search the Gazette", "Share on",
               "Sign up for our morning briefing", "Related articles", "Bus fares to rise", "Mill Street bridge",
               "Tram vote delayed", "Comments", "trampaul", "waiting for this tram", "waste of taxpayers",
               "All rights reserved", "Privacy policy", "Contact the newsroom", "Tags:", "dataLayer"]

NEWS_SIDECAR = {"title": "Halverton approves Blue Line tram after decade of debate", "date": "2025-03-11",
                "author": "Maria Lindqvist", "site_name": "The Halverton Gazette",
                "url": "https://gazette.example/news/2025/03/halverton-tram", "language": "en"}


def without_meta_tags(page: str) -> str:
    """The news page with its metadata only in JSON-LD: no <meta>, canonical link, byline or <time>."""
    page = re.sub(r'<meta (name|property)="[^"]*" content="[^"]*">\n', "", page)
    page = re.sub(r'<link rel="canonical"[^>]*>', "", page)
    page = re.sub(r"<title>[^<]*</title>", "<title>Home</title>", page)
    page = page.replace('<span class="author">Maria Lindqvist</span>', "our correspondent")
    return re.sub(r"<time[^>]*>[^<]*</time>", "", page)


PAYWALL_PAGE = """\
<html lang="en"><head><title>Exclusive: the mayor's secret plan | The Daily</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/subscribe">Subscribe</a></nav>
<article><h1>Exclusive: the mayor's secret plan</h1><p>The mayor has a plan for the old harbour.</p>
<div class="paywall"><p>Subscribe to continue reading. Already a subscriber? Log in.</p></div></article>
<footer>&copy; The Daily</footer></body></html>
"""

NAVIGATION_PAGE = "<html><body><nav><ul>" + "".join(
    f'<li><a href="/section{i}">Section number {i} of the site, with all its news</a></li>' for i in range(30)
) + "</ul></nav></body></html>"

FRENCH_PARAGRAPH = (
    "Le maire de Besançon a annoncé mercredi que la ville accueillerait l’été prochain un festival consacré à la "
    "bande dessinée, avec des éditeurs venus de Belgique, de Suisse et du Québec. « C’est une fête pour tous », "
    "a-t-il déclaré, en évoquant un budget de 300 000 € et des œuvres exposées à la citadelle."
)


def french_page(declaration: str = "") -> str:
    return (f'<html lang="fr-FR"><head>{declaration}<title>Un festival de BD à Besançon</title></head><body>'
            f"<article><h1>Un festival de BD à Besançon</h1><p>{FRENCH_PARAGRAPH}</p>"
            f"<p>Les premières réservations ouvriront en février, précise la mairie.</p></article></body></html>")


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
