"""👍 / 👎 feedback: persistent buttons on every answer, stored in the journal (``bot/discord/journal.py``).

The buttons are ``DynamicItem``s whose custom id carries the question id, so they keep working after
a restart with no view to re-attach. Each vote is keyed by (question, hashed user), so a second click
changes the vote instead of adding one; the question row holds the answer sentence's stable id
``<article>#<n>``, which does not move when other articles are added.
"""

from __future__ import annotations

import asyncio
import logging
import re

import discord

from bot.discord.i18n import label, lang_of
from bot.discord.replies import send_ephemeral
from bot.discord.tree import error_text

log = logging.getLogger(__name__)

class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=r"fb:(?P<vote>up|down):(?P<answer>[0-9a-f]{16})"):
    """A 👍 or 👎 button bound to one answer by its custom id."""

    def __init__(self, vote: str, answer_id: str) -> None:
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary, emoji="👍" if vote == "up" else "👎",
            custom_id=f"fb:{vote}:{answer_id}"))
        self.vote, self.answer_id = vote, answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> VoteButton:
        return cls(match["vote"], match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        try:
            store = interaction.client.journal  # type: ignore[attr-defined]
            outcome = await asyncio.to_thread(store.vote, self.answer_id, interaction.user.id, self.vote == "up")
            text = label(lang, "vote_failed" if outcome is None else "changed" if outcome == "changed" else "thanks")
        except Exception as err:  # noqa: BLE001 - buttons get the same handler as commands and mentions
            text = error_text(lang, err, f"vote on {self.answer_id}")
        await send_ephemeral(interaction, text)


def feedback_view(answer_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton("up", answer_id))
    view.add_item(VoteButton("down", answer_id))
    return view
