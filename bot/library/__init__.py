"""Stage 5, the library: article ids (``ids.py``), adding and removing articles (``store.py``) and
following feeds (``feeds/``). It writes ``articles/`` and calls the index below it, never the engine."""
