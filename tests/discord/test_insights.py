"""/stats, /privacy, /forget-me, the journal behind them, the mention path's error reply, and syncing the
command tree only where Discord holds it otherwise, through SimCord (unmodified discord.py, in-memory
Discord)."""

from __future__ import annotations

import logging
import sqlite3

import discord
import pytest
import simcord

from bot import create_bot
from bot.discord.registered import differences, sent
from tests.support.waits import GUARD_S


def admin_and_member(env):
    guild = env.create_guild()
    channel = guild.create_text_channel("general")
    managers = guild.create_role("managers", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("owner"), roles=[managers])
    alice = guild.add_member(env.create_user("alice"))
    return guild, channel, admin, alice


def rows(db, sql="SELECT outcome, question, user_hash, guild_id, sentence_id FROM questions ORDER BY asked_at"):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


async def test_every_question_is_journaled_and_stats_shows_what_went_unanswered(simcord_env, tmp_path):
    guild, channel, admin, alice = admin_and_member(simcord_env)
    answered = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    await alice.slash(channel, "ask", question="what is the capital of Peru?")
    await admin.slash(channel, "ask", question="What is the capital of Peru")  # the same, typed otherwise
    await alice.send(channel, f"{simcord_env.bot.user.mention} when will Xiaomi enter the US?")
    down = [c["custom_id"] for row in answered.response.components for c in row["components"]][1]
    await admin.click(answered.response.message, custom_id=down)
    logged = rows(tmp_path / "feedback.sqlite3")
    assert [r[0] for r in logged] == ["answer", "not_covered", "not_covered", "answer"]
    assert all(r[3] == guild.id for r in logged) and all(len(r[2]) == 64 for r in logged)
    assert str(alice.id) not in "".join(r[2] for r in logged)  # a salted hash, never the id

    result = await admin.slash(channel, "stats")
    assert result.ephemeral
    embed = result.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Last 1 day(s)"].startswith("4 questions · 2 answered · 0 unsure · 2 not covered · 0 errors")
    assert "not covered: 50%" in fields["Last 1 day(s)"]
    assert "2× what is the capital of peru" in fields["Most asked, not covered (30 days)"]
    assert "👎 1 👍 0 · who is Hugo Barra?" in fields["Worst-rated answers (30 days)"]
    assert "4 questions in the journal (kept 90 days)" in embed.footer.text


async def test_stats_is_for_managers_only_also_when_the_server_shows_it_to_everyone(simcord_env):
    guild, channel, admin, alice = admin_and_member(simcord_env)
    simcord_env.bot.get_cog("Insights").stats.default_permissions = None  # a server that opened it up
    await simcord_env.bot.tree.sync()
    refused = await alice.slash(channel, "stats")
    assert refused.ephemeral and "Manage Server" in refused.response.content


async def test_forget_me_deletes_that_users_rows_only(simcord_env, tmp_path):
    guild, channel, admin, alice = admin_and_member(simcord_env)
    first = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    await alice.slash(channel, "ask", question="when will Xiaomi enter the US?")
    own = await admin.slash(channel, "ask", question="who is Hugo Barra?")

    def up(result):
        return [c["custom_id"] for row in result.response.components for c in row["components"]][0]

    await alice.click(first.response.message, custom_id=up(first))
    await alice.click(own.response.message, custom_id=up(own))
    await admin.click(own.response.message, custom_id=up(own))
    db = tmp_path / "feedback.sqlite3"
    own_id = up(own).rsplit(":", 1)[1]  # the button carries the question's id
    admin_hash = f"(SELECT user_hash FROM questions WHERE id = '{own_id}')"
    before_admin = rows(db, f"SELECT id FROM questions WHERE user_hash = {admin_hash}")
    admin_vote = rows(db, f"SELECT * FROM ratings WHERE user_hash = {admin_hash}")
    assert len(before_admin) == 1 and len(admin_vote) == 1
    result = await alice.slash(channel, "forget-me")
    assert result.ephemeral and "deleted 2 question(s) and 2 vote(s)" in result.response.content
    assert rows(db, "SELECT id FROM questions") == before_admin  # the admin's stay
    assert rows(db, "SELECT * FROM ratings") == admin_vote  # the admin's own vote stays, alice's two went
    again = await alice.slash(channel, "forget-me")
    assert "deleted 0 question(s) and 0 vote(s)" in again.response.content


async def test_privacy_says_what_is_stored_in_the_users_language(simcord_env):
    guild, channel, admin, alice = admin_and_member(simcord_env)
    result = await alice.slash(channel, "privacy")
    text = result.response.embeds[0].description
    assert result.ephemeral and "salted hash" in text and "90 days" in text and "/forget-me" in text

async def test_privacy_in_french(simcord_env, french_user):
    guild, channel, admin, alice = admin_and_member(simcord_env)
    result = await alice.slash(channel, "privacy")
    assert "empreinte salée" in result.response.embeds[0].description and "90 jours" in \
        result.response.embeds[0].description


async def test_a_failure_on_the_mention_path_gets_the_error_reply_and_is_journaled(simcord_env, tmp_path,
                                                                                   monkeypatch, caplog):
    guild, channel, admin, alice = admin_and_member(simcord_env)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the engine")

    monkeypatch.setattr(simcord_env.bot.engine, "ask", broken)
    await alice.send(channel, f"{simcord_env.bot.user.mention} who is Hugo Barra?")
    reply = channel.last_message
    assert reply.author.id == simcord_env.bot.user.id and "Something went wrong on my side" in reply.content
    assert [r for r in caplog.records if "a bug in the engine" in str(r.exc_info)]  # one traceback in the log
    assert [r[0] for r in rows(tmp_path / "feedback.sqlite3")] == ["error"]


def command_syncs(env) -> int:
    return sum(1 for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands"))


async def test_commands_are_synced_only_when_the_tree_changed(simcord_env, bot_config, shared_engine):
    assert command_syncs(simcord_env) == 1  # first start: nothing known, synced
    await simcord_env.restart_bot(create_bot(bot_config, engine=shared_engine))
    assert command_syncs(simcord_env) == 1  # same tree: not synced again
    assert not await simcord_env.bot.sync_commands()
    assert await simcord_env.bot.sync_commands(force=True)  # `article-bot sync`
    assert command_syncs(simcord_env) == 2
    simcord_env.bot.tree.get_command("privacy").description = "Another description"
    assert await simcord_env.bot.sync_commands()  # the tree changed
    assert command_syncs(simcord_env) == 3



def registered_names(env, guild_id: int | None = None) -> set[str]:
    """The commands the in-memory Discord holds (globally, or in one guild)."""
    return {c["name"] for c in env.backend.commands.get(guild_id, {}).values()}


async def test_a_journal_from_an_earlier_world_does_not_keep_a_fresh_discord_without_commands(bot_config,
                                                                                            shared_engine):
    """A new application, commands removed in the portal, a journal copied to another deployment: the
    journal says the commands were synced, Discord holds none. The bot asks Discord, and syncs once."""
    async with simcord.run(create_bot(bot_config, engine=shared_engine), settle_timeout=GUARD_S) as earlier:
        assert command_syncs(earlier) == 1
        tree = {c.name for c in earlier.bot.tree.get_commands()}
    assert (bot_config.parent / "feedback.sqlite3").is_file()  # the journal outlives that world
    async with simcord.run(create_bot(bot_config, engine=shared_engine), settle_timeout=GUARD_S) as fresh:
        assert command_syncs(fresh) == 1  # synced, whatever the journal remembers
        assert registered_names(fresh) == tree
        guild, channel, admin, alice = admin_and_member(fresh)
        assert "ask" in alice.available_commands(channel) and "stats" in admin.available_commands(channel)
        result = await alice.slash(channel, "ask", question="who is Hugo Barra?")
        assert result.response.embeds
        await fresh.restart_bot(create_bot(bot_config, engine=shared_engine))
        assert command_syncs(fresh) == 1  # the same Discord already holds them: not synced again


async def test_commands_discord_holds_otherwise_are_synced_at_start_up(simcord_env, bot_config, shared_engine,
                                                                       caplog):
    """What Discord holds is compared with what a sync would send: translations and the set of commands
    count, so an older deployment's commands (no French), or a set with one missing and one too many,
    get synced."""
    bot = simcord_env.bot
    assert command_syncs(simcord_env) == 1
    untranslated = [c.to_dict(bot.tree) for c in bot.tree.get_commands()]  # as a bot without translations
    await bot.http.bulk_upsert_global_commands(bot.application_id, payload=untranslated)
    caplog.set_level(logging.INFO, logger="bot")
    await simcord_env.restart_bot(create_bot(bot_config, engine=shared_engine))
    assert command_syncs(simcord_env) == 3  # the upsert above, then the bot's sync
    assert "commands synced (global: changed ask" in caplog.text
    bot = simcord_env.bot
    other = [c for c in await sent(bot.tree, None) if c["name"] != "privacy"]  # as another deployment's
    other.append({"name": "old", "description": "A command this bot no longer has", "type": 1})
    await bot.http.bulk_upsert_global_commands(bot.application_id, payload=other)
    await simcord_env.restart_bot(create_bot(bot_config, engine=shared_engine))
    assert command_syncs(simcord_env) == 5
    assert "commands synced (global: missing privacy; not in the tree old)" in caplog.text
    assert "privacy" in registered_names(simcord_env) and "old" not in registered_names(simcord_env)
    await simcord_env.restart_bot(create_bot(bot_config, engine=shared_engine))
    assert command_syncs(simcord_env) == 5
    assert "commands unchanged: Discord already holds them as they are here, not synced" in caplog.text


@pytest.mark.botconfig(dev_guild_ids=[4242])
async def test_dev_guild_commands_are_compared_per_guild(simcord_env, bot_config, shared_engine):
    guild_syncs = [r for r in simcord_env.http_requests if r.method == "PUT" and "/guilds/4242/" in r.path]
    assert len(guild_syncs) == 1 and command_syncs(simcord_env) == 1  # to the dev guild only
    assert "ask" in registered_names(simcord_env, 4242) and registered_names(simcord_env) == set()
    await simcord_env.restart_bot(create_bot(bot_config, engine=shared_engine))
    assert command_syncs(simcord_env) == 1  # the guild holds them: not synced again


def test_the_form_discord_returns_its_commands_in_matches_what_was_sent():
    """Discord's answer differs in form from the payload sent: ids and versions, defaults it left out
    (dm_permission true, required false) or filled in (integration_types), the permissions' number as a
    string. None of it is a change."""
    sent = [{"name": "reload", "description": "Re-read", "type": 1, "options": [], "nsfw": False,
             "dm_permission": False, "default_member_permissions": 32, "contexts": [0], "integration_types": None,
             "name_localizations": {}, "description_localizations": {"fr": "Relire"}},
            {"name": "ask", "description": "Ask", "type": 1, "nsfw": False, "dm_permission": True,
             "default_member_permissions": None, "contexts": None, "integration_types": None,
             "options": [{"type": 3, "name": "article", "description": "Which", "required": False,
                          "autocomplete": True, "description_localizations": {"fr": "Quel"}}]}]
    returned = [{"id": "1", "application_id": "2", "version": "3", "default_permission": True, "type": 1,
                 "name": "reload", "description": "Re-read", "default_member_permissions": "32",
                 "dm_permission": False, "contexts": [0], "integration_types": [0], "nsfw": False,
                 "name_localizations": None, "description_localizations": {"fr": "Relire"}},
                {"id": "4", "application_id": "2", "version": "5", "default_permission": True, "type": 1,
                 "name": "ask", "description": "Ask", "default_member_permissions": None, "contexts": None,
                 "integration_types": [0, 1], "nsfw": False, "name_localizations": None,
                 "description_localizations": None,
                 "options": [{"type": 3, "name": "article", "description": "Which", "autocomplete": True,
                              "name_localizations": None, "description_localizations": {"fr": "Quel"}}]}]
    assert differences(sent, returned, guild=False) == ""
    returned[0]["default_member_permissions"] = None  # opened to everyone in the portal
    returned[0]["dm_permission"] = True
    returned[1]["options"][0]["description_localizations"] = None  # the translation gone
    assert differences(sent, returned, guild=False) == "changed reload, ask"
    assert differences(sent, returned[1:] + [{**returned[0], "name": "old"}], guild=False) == \
        "missing reload; changed ask; not in the tree old"


async def test_metrics_and_readiness_scraped_on_loopback(simcord_env, bot_config, shared_engine, tmp_path):
    import aiohttp
    import yaml
    from prometheus_client.parser import text_string_to_metric_families

    data = yaml.safe_load(bot_config.read_text(encoding="utf-8"))
    data["metrics"] = {"enabled": True, "host": "127.0.0.1", "port": 0}
    bot_config.write_text(yaml.safe_dump(data), encoding="utf-8")
    await simcord_env.restart_bot(create_bot(bot_config, engine=shared_engine))
    guild, channel, admin, alice = admin_and_member(simcord_env)
    await alice.slash(channel, "ask", question="who is Hugo Barra?")
    await alice.slash(channel, "ask", question="what is the capital of Peru?")
    port = simcord_env.bot.metrics.port
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/metrics") as resp:
            assert resp.status == 200
            text = await resp.text()
        async with http.get(f"http://127.0.0.1:{port}/ready") as resp:
            assert (resp.status, await resp.text()) == (200, "ready")
    samples = {(s.name, s.labels.get("outcome")): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    assert samples[("articlebot_questions_total", "answer")] == 1
    assert samples[("articlebot_questions_total", "not_covered")] == 1
    assert samples[("articlebot_answer_seconds_count", None)] == 2
    assert samples[("articlebot_journal_questions", "answer")] == 1  # from the database
    assert samples[("articlebot_gateway_connected", None)] == 1 and samples[("articlebot_ready", None)] == 1
    assert samples[("articlebot_index_sentences", None)] == len(shared_engine.index.rows)
    await simcord_env.bot.close()  # the gateway goes: not ready
    assert simcord_env.bot.metrics.missing() == ["gateway not connected"]
