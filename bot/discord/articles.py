"""/article info | list | add | remove: the articles a server sees, and its moderators' changes to them.

Which articles a server sees (``bot.engine.Scope``): the shared ones (in ``articles/`` without a
``server:`` in their sidecar, or from a feed configured without a server) and its own (added here, or
by a feed configured for it). Another server's articles do not exist for it: not in answers, lists,
autocomplete, /summary or /article remove. In direct messages only shared articles are seen.

Adding and removing need Manage Server, checked in code (``allowed_to_manage``), in a server only.
Discord gives a default permission (and "servers only") to a top-level command as a whole, never to
one of its subcommands, and members need ``/article info`` and ``/article list``: so ``/article``
stays visible to everyone, ``add`` and ``remove`` refuse anyone without Manage Server, and a server
can still restrict ``/article`` further in its Integrations settings. ``url:`` takes an http(s) URL
only: a path would read the bot's own disk.

An add runs in the bot's library worker (one at a time; the file lock in ``bot/library/store.py`` also
keeps ``article-bot add`` from another process out): fetching, extracting and embedding happen
there while questions keep being answered from the previous index, which is swapped in one step
when the new one is ready. The reply is ephemeral: what was added (title, language, sentences, id),
or why not, in one line.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.clock import moment
from bot.corpus.article import ARTICLE_SUFFIXES, HTML_SUFFIXES
from bot.discord.app import ArticleBot, owner_of
from bot.discord.ask import article_autocomplete
from bot.discord.i18n import label, lang_of
from bot.discord.render import COLOUR_ANSWER, COLOUR_SUMMARY, clip, fit, safe
from bot.discord.replies import allowed_to_manage, defer, in_server, send_ephemeral
from bot.errors import ArticleBotError, InputError
from bot.index.records import ArticleInfo
from bot.library.store import Upload
from bot.qa.engine import Scope

log = logging.getLogger(__name__)

#: What a moderator may attach: the article file types ``article-bot add`` reads.
ATTACHMENT_SUFFIXES = ARTICLE_SUFFIXES + HTML_SUFFIXES
#: Bytes looked at to tell a text file from a binary one.
SNIFF_BYTES = 8192


async def own_article_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """This server's own articles: the only ones /article remove can remove."""
    engine = interaction.client.engine  # type: ignore[attr-defined]
    server = owner_of(interaction.guild_id)
    ids = [a.id for a in engine.articles(Scope(server)) if server and a.server == server] if engine else []
    return [app_commands.Choice(name=i, value=i) for i in ids if current.lower() in i.lower()][:25]


def attachment_problem(attachment: discord.Attachment, max_bytes: int) -> str | None:
    """Why an attachment cannot be an article (before downloading it), or None."""
    suffix = Path(attachment.filename).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        return (f"{attachment.filename}: not an article file (attach a .txt, .md or .html file, "
                "or give url: instead)")
    if attachment.size > max_bytes:
        return f"{attachment.filename}: {attachment.size:,} bytes, over the limit of {max_bytes:,}"
    if attachment.size == 0:
        return f"{attachment.filename}: the file is empty"
    return None


def content_problem(name: str, data: bytes) -> str | None:
    """Why downloaded bytes cannot be an article (empty, binary), or None."""
    if not data.strip():
        return f"{name}: the file is empty"
    if b"\x00" in data[:SNIFF_BYTES]:
        return f"{name}: a binary file, not text (attach a .txt, .md or .html file)"
    return None


def safe_filename(name: str) -> str:
    """An attachment's file name reduced to a plain name (no folders, no odd characters)."""
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-") or "article"
    return stem[:80] + suffix


def when(iso: str) -> str:
    """A stored time (``bot.clock.moment``) as a Discord timestamp, shown in each reader's time zone and
    language; as given when it is not a time."""
    at = moment(iso)
    return discord.utils.format_dt(at, "f") if at else iso


def article_embed(info: ArticleInfo, lang: str, title_prefix: str = "📰") -> discord.Embed:
    embed = discord.Embed(title=clip(f"{title_prefix} {info.title}", 256), colour=COLOUR_SUMMARY)
    embed.add_field(name=label(lang, "article"), value=info.id)
    embed.add_field(name=label(lang, "language"), value=info.language)
    embed.add_field(name=label(lang, "sentences"), value=str(info.sentences))
    embed.add_field(name=label(lang, "visible_in"),
                    value=label(lang, "this_server" if info.server else "all_servers"))
    if info.added_at:
        embed.add_field(name=label(lang, "added"), value=when(info.added_at))
    source = info.url or info.source
    if source:
        embed.add_field(name=label(lang, "source"), value=clip(safe(source), 1024), inline=False)
    return fit(embed)


class Articles(commands.GroupCog, group_name="article",
               group_description=_("The articles I answer from: see, add or remove them")):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="info", description=_("What the article is and how it is indexed"))
    @app_commands.describe(article=_("Which article (when there are several)"))
    @app_commands.autocomplete(article=article_autocomplete)
    async def info(self, interaction: discord.Interaction, article: str | None = None) -> None:
        lang = lang_of(interaction.locale)
        engine = self.bot.engine
        scope, index = self.bot.scope(interaction.guild_id), engine.index
        try:
            art_id = engine.resolve_article(article, scope, index) or (engine.article_ids(scope, index) or [None])[0]
        except InputError as err:
            await send_ephemeral(interaction, label(lang, "bad_article", reason=safe(str(err))))
            return
        if art_id is None:
            await send_ephemeral(interaction, label(lang, "no_articles"))
            return
        info = index.article(art_id)
        embed = article_embed(info, lang)
        manifest = engine.index.manifest
        embed.add_field(name=label(lang, "built"), value=str(manifest.get("built_at", "?")))
        embed.add_field(name=label(lang, "encoder"),
                        value=clip(", ".join(e["id"] for e in manifest["encoders"].values()), 1024))
        await interaction.response.send_message(embed=fit(embed))

    @app_commands.command(name="list", description=_("The articles I answer from in this server"))
    async def list_articles(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction.locale)
        engine = self.bot.engine
        scope = self.bot.scope(interaction.guild_id)
        articles = engine.articles(scope)
        if not articles:
            await send_ephemeral(interaction, label(lang, "no_articles"))
            return
        lines = [f"`{a.id}` — {safe(clip(a.title, 120))} ({a.language}, {a.sentences} "
                 f"{label(lang, 'sentences').lower()}) · {label(lang, 'this_server' if a.server else 'all_servers')}"
                 for a in articles]
        text, shown = "", 0
        for line in lines:
            if len(text) + len(line) + 60 > 4096:
                break
            text, shown = f"{text}{line}\n", shown + 1
        if shown < len(lines):
            text += label(lang, "more", n=len(lines) - shown)
        embed = discord.Embed(title=label(lang, "articles_title", n=len(articles)), description=text,
                              colour=COLOUR_SUMMARY)
        await interaction.response.send_message(embed=fit(embed), ephemeral=True)

    @app_commands.command(name="add", description=_("Add an article to this server, from a link or a file"))
    @app_commands.describe(url=_("The article's web address (https://…)"),
                           file=_("Or the article as a .txt, .md or .html file"),
                           id=_("The id to give it (default: made from its title)"))
    async def add(self, interaction: discord.Interaction, url: str | None = None,
                  file: discord.Attachment | None = None, id: str | None = None) -> None:
        lang = lang_of(interaction.locale)
        if not await in_server(interaction) or not await allowed_to_manage(interaction):
            return
        if (url is None) == (file is None):
            await send_ephemeral(interaction, label(lang, "add_failed", reason=label(lang, "url_or_file")))
            return
        if file is not None:
            problem = attachment_problem(file, self.bot.config.fetch.max_bytes)
            if problem:
                await send_ephemeral(interaction, label(lang, "add_failed", reason=safe(problem)))
                return
        if not await defer(interaction, ephemeral=True):
            return
        try:
            info = await self._add(interaction, url, file, id)
        except ArticleBotError as err:
            await interaction.followup.send(label(lang, "add_failed", reason=safe(str(err))), ephemeral=True)
            return
        log.info("article %s added to server %s by a moderator", info.id, interaction.guild_id)
        embed = article_embed(info, lang, "✅")
        embed.colour = discord.Colour(COLOUR_ANSWER)
        embed.description = label(lang, "added_text", id=info.id)
        await interaction.followup.send(embed=fit(embed), ephemeral=True)

    async def _add(self, interaction: discord.Interaction, url: str | None, file: discord.Attachment | None,
                   art_id: str | None) -> ArticleInfo:
        engine, server = self.bot.engine, owner_of(interaction.guild_id)
        if url is not None:
            return await self.bot.run_library(engine.add, url.strip(), art_id, server, url_only=True)
        assert file is not None
        try:
            data = await file.read()
        except discord.HTTPException as err:
            raise InputError(f"{file.filename}: cannot download the attachment ({err.status})") from None
        problem = content_problem(file.filename, data)
        if problem:
            raise InputError(problem)
        upload = Upload(file.filename, data, safe_filename(file.filename))  # parsed from memory: messages name it
        return await self.bot.run_library(engine.add, upload, art_id, server)

    @app_commands.command(name="remove", description=_("Remove an article this server added"))
    @app_commands.describe(article=_("The article to remove"))
    @app_commands.autocomplete(article=own_article_autocomplete)
    async def remove(self, interaction: discord.Interaction, article: str) -> None:
        lang = lang_of(interaction.locale)
        if not await in_server(interaction) or not await allowed_to_manage(interaction):
            return
        if not await defer(interaction, ephemeral=True):
            return
        try:
            await self.bot.run_library(self.bot.engine.remove, article, owner_of(interaction.guild_id))
        except ArticleBotError as err:
            await interaction.followup.send(label(lang, "remove_failed", reason=safe(str(err))), ephemeral=True)
            return
        log.info("article %s removed from server %s by a moderator", article, interaction.guild_id)
        await interaction.followup.send(label(lang, "removed", id=safe(article)), ephemeral=True)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Articles(bot))
