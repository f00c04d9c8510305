"""The buttons under an answer: 👍 / 👎 feedback, stored in the journal (``bot/discord/journal.py``), and,
when another article fits nearly as well, one that asks the question again in that article.

The buttons are ``DynamicItem``s whose custom id carries the question id (and the other article's id), so
they keep working after a restart with no view to re-attach. Each vote is keyed by (question, hashed
user), so a second click changes the vote instead of adding one; the question row holds the answer
sentence's stable id ``<article>#<n>``, which does not move when other articles are added. The re-ask reads
the question back from the journal (which keeps it), answers it from the other article only, and posts
that answer in the channel for everyone, as ``/ask article:`` would.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from typing import TYPE_CHECKING

import discord

from bot.discord.i18n import label, lang_of
from bot.discord.render import clip
from bot.discord.replies import defer, send_ephemeral
from bot.discord.tree import error_text
from bot.errors import InputError

if TYPE_CHECKING:  # annotations only
    from bot.qa.answer import Answer

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


class AskElsewhere(discord.ui.DynamicItem[discord.ui.Button],
                   template=r"a:(?P<answer>[0-9a-f]{16}):(?P<article>[A-Za-z0-9][A-Za-z0-9._-]{0,79})"):
    """"Ask in <article>": the question of one answer asked again, in another article only. The custom id
    ("a:" + question id + ":" + article id) stays within Discord's 100 characters for any article id."""

    def __init__(self, answer_id: str, article: str, text: str | None = None) -> None:
        super().__init__(discord.ui.Button(style=discord.ButtonStyle.primary, emoji="🔀",
                                           label=clip(text or article, 80), custom_id=f"a:{answer_id}:{article}"))
        self.answer_id, self.article = answer_id, article

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> AskElsewhere:
        return cls(match["answer"], match["article"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        lang = lang_of(interaction.locale)
        retry = bot.cooldowns.retry_after(interaction.user.id, interaction.created_at)  # type: ignore[attr-defined]
        if retry is not None:
            await send_ephemeral(interaction, label(lang, "cooldown", s=math.ceil(retry)))
            return
        asked = await asyncio.to_thread(bot.journal.asked, self.answer_id)  # type: ignore[attr-defined]
        try:
            if asked is None:
                raise InputError(label(lang, "reask_gone", id=self.article))
            bot.engine.resolve_article(self.article, bot.scope(interaction.guild_id))  # type: ignore[attr-defined]
        except InputError as err:
            await send_ephemeral(interaction, label(lang, "bad_input", reason=str(err)))
            return
        if not await defer(interaction):
            return
        try:  # the question is its asker's: recorded, and held for follow-ups, as theirs (their /forget-me drops it)
            reply = await bot.answer(asked[0], lang, self.article, guild_id=interaction.guild_id,  # type: ignore[attr-defined]
                                     asker_of=self.answer_id, route="alternative")
        except InputError as err:  # the article went between the click and the answer
            await send_ephemeral(interaction, label(lang, "bad_input", reason=str(err)))
            return
        except Exception as err:  # noqa: BLE001 - buttons get the same handler as commands and mentions
            await send_ephemeral(interaction, error_text(lang, err, f"ask again in {self.article}"))
            return
        try:
            sent = await interaction.followup.send(embed=reply.embed, view=reply.view or discord.utils.MISSING,
                                                   wait=True)
        except discord.HTTPException as err:
            log.warning("could not send the answer asked again in %s (%s %s)", self.article, err.status, err.text)
            return
        bot.conversations.remember(sent.id, interaction.channel, asked[0], reply.answer, None,  # type: ignore[attr-defined]
                                   qid=reply.question_id)


def answer_view(answer_id: str, answer: Answer | None = None, lang: str = "en") -> discord.ui.View:
    """👍 / 👎, and "ask in <the other article>" when ``answer`` offers one."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton("up", answer_id))
    view.add_item(VoteButton("down", answer_id))
    other = answer.alternative_article if answer is not None else None
    if other is not None:
        view.add_item(AskElsewhere(answer_id, other, label(lang, "ask_in", id=other)))
    return view
