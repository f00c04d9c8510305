"""/ask and mention-to-ask through SimCord: real discord.py dispatch, real engine, seed article."""

from __future__ import annotations

import pytest
from simcord.backend.errors import OptionError

GOLD_WHEN = ("2017", "futur proche")


def callbacks(env):
    return [r.json for r in env.http_requests if r.method == "POST" and r.path.endswith("/callback")]


async def test_ask_in_english_quotes_the_answer_sentence_with_context_confidence_position(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="when will Xiaomi enter the US?")
    assert callbacks(env)[0] == {"type": 5}  # deferred first, answered after the engine ran
    embed = result.response.embeds[0]
    assert embed.description.startswith("« ") and embed.description.endswith(" »")
    assert "**en 2017**" in embed.description  # the short answer in bold inside the quoted sentence
    assert any(g in embed.description for g in GOLD_WHEN)
    fields = {f.name: f.value for f in embed.fields}
    assert "%" in fields["Confidence"] and "█" in fields["Confidence"]
    assert fields["Position"].startswith("§") and "sentence" in fields["Position"]
    assert "Context" in fields
    assert "Xiaomi va-t-il" in embed.footer.text and "seed article" in embed.footer.text
    assert any(name.startswith("Other passages") for name in fields)
    assert not result.ephemeral


@pytest.mark.private_corpus
async def test_each_tier_is_shown_in_the_embed(simcord_env, private_corpus, bot_config):
    """The three tiers through the real bot: an answer, an unsure answer (hedged), not covered."""
    from bot import create_bot
    from bot.config import load_config
    from bot.qa.engine import Engine

    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    alice = guild.add_member(simcord_env.create_user("alice"))
    config = private_corpus / "config.yaml"
    for thresholds, title, first_line in [
        ("{abstain_threshold: 0.0, answer_threshold: 0.0}", "💬 ", "« "),
        ("{abstain_threshold: 0.0, answer_threshold: 1.0}", "🤔 ",
         "The article may not say this exactly — closest passage:"),
        ("{abstain_threshold: 1.0}", "❔ Not covered by the article", "> when will Xiaomi enter the US?"),
    ]:
        config.write_text(f"articles_dir: articles\nindex_dir: index\nretrieval: {thresholds}\n", encoding="utf-8")
        await simcord_env.restart_bot(create_bot(bot_config, engine=Engine(load_config(config))))
        result = await alice.slash(channel, "ask", question="when will Xiaomi enter the US?")
        embed = result.response.embeds[0]
        assert embed.title.startswith(title) and embed.description.startswith(first_line), embed.description
        if "Not covered" not in title:
            assert "**en 2017**" in embed.description


async def test_ask_in_french(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="qui a vendu des brevets à Xiaomi ?")
    assert "Microsoft" in result.response.embeds[0].description


async def test_off_topic_question_abstains(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="What is the capital of Peru?")
    embed = result.response.embeds[0]
    assert "Not covered" in embed.title
    assert "does not cover" in embed.description


async def test_answers_carry_feedback_buttons(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="who is Hugo Barra?")
    ids = [c["custom_id"] for row in result.response.components for c in row["components"]]
    assert len(ids) == 2 and ids[0].startswith("fb:up:") and ids[1].startswith("fb:down:")


async def test_mention_to_ask_replies_with_the_same_embed(world):
    env, guild, channel, alice = world
    me = env.bot.user
    question = await alice.send(channel, f"{me.mention} when will Xiaomi enter the US?")
    reply = channel.last_message
    assert reply.author.id == me.id
    assert reply.reference is not None and reply.reference.message_id == question.id
    assert any(g in reply.embeds[0].description for g in GOLD_WHEN)


async def test_mention_with_no_question_gets_a_hint(world):
    env, guild, channel, alice = world
    await alice.send(channel, f"{env.bot.user.mention}")
    assert "Ask me a question" in channel.last_message.content
    assert "what is the article about?" in channel.last_message.content


async def test_plain_message_without_mention_is_ignored(world):
    env, guild, channel, alice = world
    await alice.send(channel, "when will Xiaomi enter the US?")
    assert channel.last_message.author.id == alice.id


@pytest.mark.botconfig(question_channels=["questions"])
async def test_question_mark_channel_answers_messages_ending_in_a_question_mark(simcord_env):
    guild = simcord_env.create_guild()
    questions = guild.create_text_channel("questions")
    general = guild.create_text_channel("general")
    alice = guild.add_member(simcord_env.create_user("alice"))
    await alice.send(questions, "Xiaomi bought patents from whom?")
    assert "Microsoft" in questions.last_message.embeds[0].description
    await alice.send(questions, "thanks, that helps.")
    assert questions.last_message.author.id == alice.id  # no question mark: no answer
    await alice.send(general, "Xiaomi bought patents from whom?")
    assert general.last_message.author.id == alice.id  # not a question channel


async def test_question_mark_channels_are_off_by_default(simcord_bot, world):
    env, guild, channel, alice = world
    assert simcord_bot.config.discord.question_channels == ()
    assert not simcord_bot.intents.message_content  # no privileged intent by default
    await alice.send(channel, "Xiaomi bought patents from whom?")
    assert channel.last_message.author.id == alice.id


@pytest.mark.botconfig(thread_mode=True)
async def test_thread_mode_answers_in_a_thread_started_from_the_question(world):
    env, guild, channel, alice = world
    question = await alice.send(channel, f"{env.bot.user.mention} who is Hugo Barra?")
    threads = env.bot.get_channel(channel.id).threads
    assert len(threads) == 1 and threads[0].id == question.id  # a thread started from the message
    answer = threads[0].last_message
    assert answer.author.id == env.bot.user.id and "vice-président" in answer.embeds[0].description


async def test_never_answers_bots(world):
    env, guild, channel, alice = world
    robot = guild.add_member(env.create_user("robot", bot=True))
    await robot.send(channel, f"{env.bot.user.mention} who is Hugo Barra?")
    assert channel.last_message.author.id == robot.id


async def test_dms_are_answered_by_default(simcord_env):
    user = simcord_env.create_user("dana")
    await user.send_dm("who is Hugo Barra?")
    reply = user.dm_channel.last_message
    assert reply.author.id == simcord_env.bot.user.id
    assert "vice-président" in reply.embeds[0].description


@pytest.mark.botconfig(dms="decline")
async def test_dms_declined_politely_when_configured(simcord_env):
    user = simcord_env.create_user("dana")
    await user.send_dm("who is Hugo Barra?")
    reply = user.dm_channel.last_message
    assert reply.author.id == simcord_env.bot.user.id
    assert "only answer in servers" in reply.content and not reply.embeds


async def test_301_character_question_is_refused_cleanly(world):
    env, guild, channel, alice = world
    ask = next(c for c in env.bot.tree.get_commands() if c.name == "ask")
    option = next(o for o in ask.to_dict(env.bot.tree)["options"] if o["name"] == "question")
    assert (option["min_length"], option["max_length"]) == (1, 300)  # declared: Discord enforces it
    with pytest.raises(OptionError, match="at most 300 characters"):
        await alice.slash(channel, "ask", question="x" * 301)
    assert env.errors == []  # the bot never saw it
    ok = await alice.slash(channel, "ask", question="y" * 300)
    assert ok.response.embeds  # 300 is accepted (answered or abstained, never an error)


async def test_article_option_autocompletes_article_ids(world):
    env, guild, channel, alice = world
    choices = await alice.autocomplete(channel, "ask", "article", "xia", question="q")
    assert [c["value"] for c in choices] == ["xiaomi-us.fr"]
    assert await alice.autocomplete(channel, "ask", "article", "zzz", question="q") == []


async def test_unknown_article_is_refused_privately(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="who is Hugo Barra?", article="nope")
    assert result.ephemeral and "unknown article" in result.response.content


async def test_everyone_and_role_mentions_never_ping(world):
    env, guild, channel, alice = world
    role = guild.create_role("mods", mentionable=True)
    await alice.send(channel, f"{env.bot.user.mention} @everyone <@&{role.id}> @here who is Hugo Barra?")
    result = await alice.slash(channel, "ask", question=f"@everyone <@&{role.id}> <@{alice.id}> who is Barra?")
    sends = [r for r in env.http_requests if r.method in ("POST", "PATCH") and isinstance(r.json, dict)
             and ("embeds" in r.json or "content" in r.json)]
    assert sends
    for request in sends:
        mentions = request.json.get("allowed_mentions")
        assert mentions is not None and mentions["parse"] == [], request
        assert not mentions.get("users") and not mentions.get("roles") and not mentions.get("replied_user")
    title = result.response.embeds[0].title
    assert "@everyone" not in title.replace("@\u200beveryone", "")
    assert f"<@&{role.id}>" not in title


async def test_injected_500_on_send_leaves_the_bot_serving(world):
    env, guild, channel, alice = world
    me = env.bot.user
    env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await alice.send(channel, f"{me.mention} who is Hugo Barra?")
    assert channel.last_message.author.id == alice.id  # the reply failed
    await alice.send(channel, f"{me.mention} Xiaomi bought patents from whom?")
    assert "Microsoft" in channel.last_message.embeds[0].description


async def test_invisible_only_question_is_refused_privately_before_deferring(world):
    env, guild, channel, alice = world
    result = await alice.slash(channel, "ask", question="\u200b\u200b\u2060")
    assert result.ephemeral and "question is empty" in result.response.content
    assert not any(r.json == {"type": 5} for r in env.http_requests if r.path.endswith("/callback"))
