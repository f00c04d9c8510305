"""Stage 4, retrieval: lexical scoring (``lexical.py``), signals (``signals.py``), what kind of answer
a question asks for (``kinds.py``, its word lists and patterns in ``kinds_words.py``), casual typing
(``casual.py``), the evidence about an answer (``evidence.py``) and the ranking (``rank.py``), which
hands on a ``values.Ranking``."""
