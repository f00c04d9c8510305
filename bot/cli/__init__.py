"""Stage 10, the console: ``article-bot`` and ``python -m bot`` (``main.py``)."""

from bot.cli.main import main

__all__ = ["main"]
