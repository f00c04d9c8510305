"""An RSS feed served by the loopback page server (``bot/devtools/pages.py``), for tests of the feed poll."""

from __future__ import annotations

from bot.devtools.pages import PageServer


def serve_feed(server: PageServer, items: list[tuple[str, str, str]], path: str = "/feed.rss") -> str:
    """Serve an RSS feed of ``items`` ((guid, link, title) tuples) at ``path``; returns its URL."""
    entries = "".join(f"<item><guid>{g}</guid><link>{link}</link><title>{t}</title>"
                      f"<description>{t}</description></item>" for g, link, t in items)
    return server.page(path, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
                             f"<link>{server.url('/')}</link><description>news</description>{entries}"
                             "</channel></rss>", content_type="application/rss+xml")
