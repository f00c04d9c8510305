"""Faults while the bot runs: index files, articles, feedback database — through SimCord."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3

import discord
import pytest

from bot import create_bot
from bot.config import load_config
from bot.qa.engine import Engine

pytestmark = pytest.mark.private_corpus


def admin_in(env):
    guild = env.create_guild()
    channel = guild.create_text_channel("general")
    admins = guild.create_role("admins", permissions=discord.Permissions(manage_guild=True))
    return channel, guild.add_member(env.create_user("root"), roles=[admins])


async def ask(member, channel, question="who is Hugo Barra?"):
    result = await member.slash(channel, "ask", question=question)
    return result.response.embeds[0]


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage", "manifest-version"])
async def test_index_damaged_while_running_is_served_then_rebuilt(simcord_env, private_corpus, damage, caplog):
    channel, admin = admin_in(simcord_env)
    index = private_corpus / "index"
    if damage == "delete":
        shutil.rmtree(index)
        index.mkdir()
    elif damage == "truncate":
        path = index / "dense.ctx.faiss"
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "garbage":
        (index / "rows.jsonl").write_text("not json\n", encoding="utf-8")
    else:
        manifest = json.loads((index / "manifest.json").read_text())
        manifest["format_version"] = 999
        (index / "manifest.json").write_text(json.dumps(manifest))
    assert "vice-président" in (await ask(admin, channel)).description  # served from memory
    with caplog.at_level(logging.INFO, logger="bot"):
        reload = await admin.slash(channel, "reload")
    assert "1 article(s)" in reload.response.content
    assert any("rebuilding the index" in r.getMessage() for r in caplog.records)
    assert (index / "manifest.json").is_file()
    assert "vice-président" in (await ask(admin, channel)).description
    # A restart (a new process) loads the repaired index without rebuilding.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot"):
        Engine(load_config(private_corpus / "config.yaml"))
    assert not any("rebuilding" in r.getMessage() for r in caplog.records)


async def test_article_edited_while_running_answers_stay_consistent_until_reload(simcord_env, private_corpus):
    channel, admin = admin_in(simcord_env)
    path = private_corpus / "articles" / "xiaomi-us.fr.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("vice-président", "directeur général"),
                    encoding="utf-8")
    before = await ask(admin, channel)
    assert "vice-président" in before.description  # the indexed text, quoted as indexed
    await admin.slash(channel, "reload")
    after = await ask(admin, channel)
    assert "directeur général" in after.description and "vice-président" not in after.description


async def test_article_removed_while_running(simcord_env, private_corpus):
    channel, admin = admin_in(simcord_env)
    (private_corpus / "articles" / "extra.en.txt").write_text(
        "The harbour bridge will reopen in May after repairs. Cyclists get a new lane.\n", encoding="utf-8")
    await admin.slash(channel, "reload")
    assert "extra.en" in simcord_env.bot.engine.article_ids()
    (private_corpus / "articles" / "extra.en.txt").unlink()
    assert "extra.en" in simcord_env.bot.engine.article_ids()  # nothing changes until reload
    await admin.slash(channel, "reload")
    assert simcord_env.bot.engine.article_ids() == ["xiaomi-us.fr"]


async def test_corrupt_feedback_database_still_answers_and_logs_once(simcord_env, tmp_path, caplog, bot_config,
                                                                   shared_engine):
    channel, admin = admin_in(simcord_env)
    await simcord_env.bot.close()
    for leftover in tmp_path.glob("feedback.sqlite3*"):
        leftover.unlink()
    (tmp_path / "feedback.sqlite3").write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.ERROR, logger="bot"):
        await simcord_env.restart_bot(create_bot(bot_config, engine=shared_engine))  # the journal opens on it
        first = await admin.slash(channel, "ask", question="who is Hugo Barra?")
        second = await admin.slash(channel, "ask", question="when will Xiaomi enter the US?")
        ids = [c["custom_id"] for row in first.response.components for c in row["components"]]
        click = await admin.click(first.response.message, custom_id=ids[0])
    assert first.response.embeds and second.response.embeds
    assert click.acknowledged
    errors = [r for r in caplog.records if "journal" in r.getMessage() and "cannot" in r.getMessage()]
    assert len(errors) == 1  # logged once, not once per question


async def test_locked_feedback_database_still_answers(simcord_env, tmp_path, caplog):
    channel, admin = admin_in(simcord_env)
    await ask(admin, channel)  # creates the database
    lock = sqlite3.connect(tmp_path / "feedback.sqlite3")
    lock.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.ERROR, logger="bot"):
            embed = await ask(admin, channel, "when will Xiaomi enter the US?")
    finally:
        lock.rollback()
        lock.close()
    assert embed.description.startswith("« ") and "**en 2017**" in embed.description
    assert any("locked" in r.getMessage() for r in caplog.records)


async def test_restart_after_index_deleted_rebuilds(simcord_env, private_corpus, bot_config):
    channel, admin = admin_in(simcord_env)
    shutil.rmtree(private_corpus / "index")
    engine = Engine(load_config(private_corpus / "config.yaml"))
    await simcord_env.restart_bot(create_bot(bot_config, engine=engine))
    assert "vice-président" in (await ask(admin, channel)).description
    assert (private_corpus / "index" / "manifest.json").is_file()
