"""article-bot: answers questions about news articles, on the console and on Discord."""

__version__ = "0.1.0"
