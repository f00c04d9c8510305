"""article-bot test suite."""
