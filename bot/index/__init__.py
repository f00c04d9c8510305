"""Stage 2, the index: encoders (``encoders.py``), what an update must embed (``plan.py``), embedding
(``embed.py``), the only FAISS code (``ann.py``), the index folder's format and recovery (``store.py``),
:class:`SentenceIndex` (``sentence_index.py``) and keeping ``index/`` up to date (``maintenance.py``)."""
