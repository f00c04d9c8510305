"""Stage 7, question answering: the values the front ends show (``answer.py``), the :class:`Engine`
(``engine.py``), summaries (``summarize.py``), an answer as text or JSON (``render.py``) and the
evaluation of question files (``evaluate.py``)."""
