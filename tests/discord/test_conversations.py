"""Conversations through SimCord: which article a question is about, read from where it was asked.

The bot runs the real engine on three articles: the seed (French, Xiaomi), the ferry dev article (shared)
and, once the background feed poll has added it, the Halverton tram page (server A's, announced in #news).
"When is the launch?" alone is answered from the ferry article, whose launch sentence is closer; in the
thread under the tram's announcement it is about the tram.
"""

from __future__ import annotations

import shutil
import sqlite3

import discord
import pytest
import yaml

from bot import create_bot
from bot.config import load_config
from bot.qa.engine import Engine
from tests.support.feeds import serve_feed
from tests.support.pages import NEWS_PAGE
from tests.support.project import REPO
from tests.support.waits import GUARD_S

TRAM = "halverton-approves-blue-line-tram-after-decade-of-debate"
FERRY = "island-ferry.en"
SERVER = 424242


@pytest.fixture
def project(tmp_path, server):
    """The seed and ferry articles (shared), and a feed owned by SERVER, announced in #news."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "articles", root / "articles")
    for f in (REPO / "eval" / "ferry" / "articles").iterdir():
        shutil.copy(f, root / "articles" / f.name)
    serve_feed(server, [])
    data = {"articles_dir": "articles", "index_dir": "index",
            "fetch": {"allow_private_hosts": True, "timeout": GUARD_S},
            "discord": {"feedback_db": str(tmp_path / "journal.sqlite3"), "engine_timeout": GUARD_S,
                        "cooldown": {"rate": 100, "per": 1}},
            "feed_polling": {"state": str(tmp_path / "feeds.json")},
            "feeds": [{"url": server.url("/feed.rss"), "server": SERVER, "announce_channel": "news"}]}
    (root / "config.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return root


@pytest.fixture
def simcord_bot(project):
    return create_bot(project / "config.yaml", engine=Engine(load_config(project / "config.yaml")))


@pytest.fixture
async def newsroom(simcord_env, server):
    """Server A with #general and #news and a member; the feed then publishes the tram page, the bot's
    background poll adds it and announces it in #news. Returns (env, general, news, member, announcement)."""
    env = simcord_env
    guild = env.create_guild("A", id=SERVER)
    general, news = guild.create_text_channel("general"), guild.create_text_channel("news")
    member = guild.add_member(env.create_user("mia"))
    serve_feed(server, [("tram-1", server.page("/news/tram", NEWS_PAGE), "Halverton tram")])
    await env.advance_time(env.bot.config.feed_polling.interval + 1)
    assert TRAM in env.bot.engine.article_ids()
    announcement = news.history()[-1]
    assert announcement.author.id == env.bot.user.id and announcement.embeds[0].author.name == "New article"
    return env, general, news, member, announcement


def thread_from(env, channel, message, member):
    """The thread a member starts from ``message`` (what Discord's "Create Thread" on a message does)."""
    env.backend.create_thread(channel.id, "tram", member.id, message_id=message.id)
    return next(t for t in channel.threads if t.id == message.id)


def text(embed: discord.Embed) -> str:
    """What the embed says, without the bold marks around short answers and titles."""
    said = " ".join([embed.title or "", embed.description or "", *(f"{f.name}: {f.value}" for f in embed.fields)])
    return said.replace("**", "")


def said(embed: discord.Embed) -> str:
    """The embed's description without bold marks."""
    return (embed.description or "").replace("**", "")


def routes(project) -> list[tuple[str, str | None, str | None]]:
    """(question, route, article) of every question in the journal, oldest first."""
    with sqlite3.connect(project.parent / "journal.sqlite3") as db:
        return db.execute("SELECT question, route, article FROM questions ORDER BY asked_at, rowid").fetchall()


async def test_a_thread_under_the_feeds_announcement_is_answered_from_its_article(newsroom, project):
    env, general, news, member, announcement = newsroom
    alone = await member.slash(general, "ask", question="when is the launch")
    assert "Electric ferry to Merrow Island" in alone.response.embeds[0].footer.text  # the closest in the library

    thread = thread_from(env, news, announcement, member)
    await env.settle()
    asked = await member.slash(thread, "ask", question="when is the launch")
    embed = asked.response.embeds[0]
    assert "Construction will begin in March 2026" in said(embed)
    assert "Halverton approves Blue Line tram" in embed.footer.text

    await member.send(thread, f"{env.bot.user.mention} how many stops")  # a mention in the thread: the same rule
    mentioned = thread.history()[-1]
    assert "19 stops" in said(mentioned.embeds[0])
    assert [r[1] for r in routes(project)] == ["all", "thread", "thread"]


async def test_a_reply_to_an_answer_is_about_its_article_and_a_bare_followup_is_read_with_its_question(newsroom,
                                                                                                        project):
    env, general, news, member, announcement = newsroom
    me = env.bot.user.mention
    alone = await member.slash(general, "ask", question="how much did it cost")
    assert "$612 million" in alone.response.embeds[0].description  # alone: the tram's cost

    await member.send(general, f"{me} when does the electric ferry launch")
    answer = general.history()[-1]
    assert "May 18" in said(answer.embeds[0])
    await member.send(general, f"{me} how much did it cost", reply_to=answer)
    followup = general.history()[-1]
    embed = followup.embeds[0]
    assert "31.5 million euros" in said(embed)  # the ferry's cost: the article of the answer replied to
    assert "↪ read with the question before it: when does the electric ferry launch" in said(embed)
    assert followup.reference is not None and followup.reference.message_id == general.history()[-2].id
    assert routes(project)[-1] == ("how much did it cost", "reply", FERRY)


async def test_a_followup_in_a_thread_leans_on_the_question_before_it(newsroom, project):
    env, general, news, member, announcement = newsroom
    me = env.bot.user.mention
    await member.send(general, f"{me} who built the merrow spirit")
    answer = general.history()[-1]
    assert "Kestrel Marine Yard" in said(answer.embeds[0])
    thread = thread_from(env, general, answer, member)  # a thread under the bot's answer
    await env.settle()
    first = await member.slash(thread, "ask", question="how fast does it go")
    assert "14 knots" in first.response.embeds[0].description
    second = await member.slash(thread, "ask", question="how long")  # names no subject: read with "how fast..."
    embed = second.response.embeds[0]
    assert "40 minutes" in said(embed) or "52 metres" in said(embed)
    assert "↪ read with the question before it: how fast does it go" in said(embed)


async def test_when_the_threads_article_does_not_cover_it_the_bot_says_so_and_answers_from_another(newsroom,
                                                                                                    project):
    env, general, news, member, announcement = newsroom
    thread = thread_from(env, news, announcement, member)
    await env.settle()
    asked = await member.slash(thread, "ask", question="who built the merrow spirit")
    embed = asked.response.embeds[0]
    assert said(embed).startswith("Halverton approves Blue Line tram after decade of debate does not "
                                   "cover this; here is what another article says:")
    assert "Kestrel Marine Yard" in said(embed)
    assert "Electric ferry to Merrow Island" in embed.footer.text  # the answer's own article, named as its source
    assert routes(project)[-1] == ("who built the merrow spirit", "thread_fallback", FERRY)


@pytest.mark.usefixtures("french_user")
async def test_the_other_article_button_asks_again_in_that_article_only(newsroom, project):
    env, general, news, member, announcement = newsroom
    asked = await member.slash(general, "ask", question="how many people will it carry")
    embed = asked.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert "Halverton approves Blue Line tram" in fields["Un autre article correspond aussi"]
    buttons = {b["custom_id"]: b.get("label") for row in asked.response.components for b in row["components"]}
    button = f"a:{_question_id(project)}:{TRAM}"
    assert buttons[button] == f"Demander dans {TRAM}"  # beside 👍 / 👎, in the member's language
    again = await member.click(asked.response, custom_id=button)
    again_embed = again.response.embeds[0]
    assert "Halverton approves Blue Line tram" in again_embed.footer.text  # answered from that article only
    assert not again.ephemeral  # posted in the channel, like /ask article:
    assert routes(project)[-1] == ("how many people will it carry", "alternative", TRAM)


def _question_id(project) -> str:
    with sqlite3.connect(project.parent / "journal.sqlite3") as db:
        return db.execute("SELECT id FROM questions ORDER BY asked_at DESC, rowid DESC LIMIT 1").fetchone()[0]


async def test_article_given_with_ask_wins_over_the_thread(newsroom, project):
    env, general, news, member, announcement = newsroom
    thread = thread_from(env, news, announcement, member)
    await env.settle()
    asked = await member.slash(thread, "ask", question="when does it start", article=FERRY)
    assert "Electric ferry to Merrow Island" in asked.response.embeds[0].footer.text
    assert routes(project)[-1][1] == "asked"


async def test_a_reply_to_an_old_answer_after_a_restart_reads_its_article_from_the_journal(newsroom, project):
    """Nothing of a conversation is written anywhere: after a restart, the answer's buttons name its question
    in the journal, which keeps it anyway, and which it is read from each time it is needed: once /forget-me
    has deleted it, a follow-up there is read alone, from the answer's article still."""
    env, general, news, member, announcement = newsroom
    me = env.bot.user.mention
    await member.send(general, f"{me} when does the electric ferry launch")
    answer = general.history()[-1]
    await env.restart_bot(create_bot(project / "config.yaml", engine=env.bot.engine))
    await member.send(general, f"{me} how much did it cost", reply_to=answer)
    assert "31.5 million euros" in general.history()[-1].embeds[0].description
    assert "↪ read with the question before it: when does the electric ferry launch" in said(
        general.history()[-1].embeds[0])
    assert routes(project)[-1][1:] == ("reply", FERRY)

    await member.slash(general, "forget-me")
    await member.send(general, f"{me} how much did it cost", reply_to=answer)
    embed = general.history()[-1].embeds[0]
    assert "read with the question before it" not in said(embed)
    assert routes(project) == [("how much did it cost", "reply", FERRY)]


async def test_forget_me_drops_the_turns_held_in_memory(newsroom, project):
    env, general, news, member, announcement = newsroom
    me = env.bot.user.mention
    await member.send(general, f"{me} when does the electric ferry launch")
    answer = general.history()[-1]
    conversations = env.bot.conversations
    assert conversations._messages[answer.id].user_id == member.id
    await member.slash(general, "forget-me")
    assert all(t.user_id != member.id for t in conversations._messages.values())
    assert routes(project) == []  # and the journal's rows


async def test_a_thread_of_its_own_is_read_once_and_only_a_bare_follow_up_leans_on_the_last_answer(newsroom,
                                                                                                    project):
    """A thread not started from a message of the bot's has no article of its own: its starter is looked up once
    (Discord says there is none). A question there that names its subject is asked afresh, even after the bot
    answered there from another article; a follow-up that names none leans on that last exchange."""
    env, general, news, member, announcement = newsroom
    env.backend.create_thread(general.id, "chat", member.id)  # a thread of its own, from no message
    thread = general.threads[-1]
    await env.settle()

    def lookups() -> int:
        return len([r for r in env.http_requests if r.method == "GET" and f"/messages/{thread.id}" in r.path])

    before = lookups()
    first = await member.slash(thread, "ask", question="who built the merrow spirit")
    assert "Kestrel Marine Yard" in said(first.response.embeds[0])
    second = await member.slash(thread, "ask", question="how many stops will the tram have")
    assert "19 stops" in said(second.response.embeds[0])  # not held to the ferry of the first answer
    third = await member.slash(thread, "ask", question="and the cost?")  # leans on "how many stops..."
    assert "$612 million" in said(third.response.embeds[0])
    assert lookups() - before <= 1
    assert [r[1] for r in routes(project)[-3:]] == ["all", "all", "thread"]


async def test_a_thread_under_an_answer_keeps_its_article_after_the_first_answer_in_it(newsroom, project):
    """The thread's starter is the bot's answer about the ferry: every question there is the ferry's first,
    the second too, though it names a subject of its own: the ferry's article is asked, says it does not
    cover it, and the tram's answers."""
    env, general, news, member, announcement = newsroom
    me = env.bot.user.mention
    await member.send(general, f"{me} who built the merrow spirit")
    thread = thread_from(env, general, general.history()[-1], member)
    await env.settle()
    first = await member.slash(thread, "ask", question="how fast does it go")
    assert "14 knots" in first.response.embeds[0].description
    second = await member.slash(thread, "ask", question="who voted against the tram on the council")
    assert said(second.response.embeds[0]).startswith("Electric ferry to Merrow Island delayed again as crews walk "
                                                      "out does not cover this; here is what another article says:")
    assert "Tom Reyes" in said(second.response.embeds[0])
    assert [r[1] for r in routes(project)[-2:]] == ["thread", "thread_fallback"]


async def test_a_question_asked_again_with_the_button_stays_its_askers(newsroom, project):
    """Carol clicks 🔀 under Mia's answer: the re-ask is recorded as Mia's, so Mia's /forget-me deletes it,
    and the memory holds it as a journal id only."""
    env, general, news, member, announcement = newsroom
    carol = general.guild.add_member(env.create_user("carol"))
    asked = await member.slash(general, "ask", question="how many people will it carry")
    again = await carol.click(asked.response, custom_id=f"a:{_question_id(project)}:{TRAM}")
    assert "Halverton approves Blue Line tram" in again.response.embeds[0].footer.text
    held = env.bot.conversations._messages[again.response.id]
    assert held.question is None and held.user_id is None and held.qid == _question_id(project)
    await carol.slash(general, "forget-me")
    assert [r[1] for r in routes(project)] == ["all", "alternative"]  # Carol asked nothing herself
    await member.slash(general, "forget-me")
    assert routes(project) == []


async def test_article_given_in_a_thread_leaves_the_threads_own_article_in_place(newsroom, project):
    """``/ask article:`` in the thread under the tram's announcement answers from the ferry, and the thread's next
    question is still the tram's (the starter is read then, not taken from that answer)."""
    env, general, news, member, announcement = newsroom
    thread = thread_from(env, news, announcement, member)
    await env.settle()
    asked = await member.slash(thread, "ask", question="when does it start", article=FERRY)
    assert "Electric ferry to Merrow Island" in asked.response.embeds[0].footer.text
    again = await member.slash(thread, "ask", question="when is the launch")
    assert "Construction will begin in March 2026" in said(again.response.embeds[0])
    assert [r[1:] for r in routes(project)[-2:]] == [("asked", FERRY), ("thread", TRAM)]
