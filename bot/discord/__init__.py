"""Stage 8, Discord: the bot (``app.py``), its slash commands (one cog per module), what members see
(``render.py``, ``i18n.py``), its journal (``journal.py``) and metrics (``metrics.py``), and running it
(``run.py``). It calls the one :class:`~bot.qa.engine.Engine`; nothing below imports from here."""
