"""/stats, /privacy, /forget-me, the journal behind them, the mention path's error reply, and syncing the
command tree only when it changed, through SimCord (unmodified discord.py, in-memory Discord)."""

from __future__ import annotations

import sqlite3

import discord

from bot import create_bot


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
