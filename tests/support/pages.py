"""Web pages as sites serve them, for the extraction, library, feed and Discord tests."""

from __future__ import annotations

import re

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


SECOND_PAGE = NEWS_PAGE.replace("Halverton approves Blue Line tram after decade of debate",
                                "Riverside hospital opens a new wing") \
    .replace("halverton-tram", "hospital-wing").replace("The city council approved the Blue Line tram",
                                                        "The regional board opened the hospital wing")
