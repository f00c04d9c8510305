"""SimCord (the in-memory Discord of ``article-bot preview`` and ``bench --burst``), imported quietly.

Importing SimCord checks discord.py's internals with a throwaway client of no intents. Made before the
bot's own module is imported, that client logs discord.py's voice warnings ("PyNaCl is not installed,
voice will NOT be supported", which ``bot.discord.app`` turns off: the bot never joins voice), and it
always logs "Guilds intent seems to be disabled", which is about the throwaway client, not the bot.
"""

from __future__ import annotations

import logging
from types import ModuleType

from bot.errors import ArticleBotError


class _ProbeWarning(logging.Filter):
    """Drops the intents warning of SimCord's throwaway client (the bot has the guilds intent)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Guilds intent seems to be disabled")


def import_simcord(install_hint: str) -> ModuleType:
    """The ``simcord`` module, without its import's warnings; ArticleBotError(``install_hint``) when missing."""
    import bot.discord.app  # noqa: F401 - first: it turns discord.py's voice warnings off

    state, probe = logging.getLogger("discord.state"), _ProbeWarning()
    state.addFilter(probe)
    try:
        import simcord
    except ImportError:
        raise ArticleBotError(install_hint) from None
    finally:
        state.removeFilter(probe)
    return simcord
