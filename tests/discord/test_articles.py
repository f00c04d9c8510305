"""/article add | remove | list | info and articles per server, and the background feed poll — via SimCord.

The bot runs on its own copy of the seed article with a real engine; the pages and feeds it fetches
are served by a real HTTP server on 127.0.0.1 (``bot/devtools/pages.py``), which the config allows.
"""

from __future__ import annotations

import shutil

import discord
import pytest
import yaml

from bot import create_bot
from bot.config import load_config
from bot.qa.engine import Engine
from tests.support.feeds import serve_feed
from tests.support.pages import NEWS_PAGE
from tests.support.project import REPO as ROOT
from tests.support.waits import GUARD_S

TRAM = "halverton-approves-blue-line-tram-after-decade-of-debate"
TRAM_QUESTION = "how long will the tram line be"
TRAM_ANSWER = "14.2 kilometres"
BAKERY_TEXT = ("Bakery owners in Lisbon reopened the old market hall on Monday.\n\n"
               "The hall has forty stalls and opens every day at seven in the morning. "
               "The renovation cost 3 million euros and took two years.\n")
SERVER_A, SERVER_B = 424242, 535353
ANNOUNCE = "news"


@pytest.fixture
def feed_xml(server):
    """The feed the bot follows: a function that sets its items ((guid, link, title) tuples)."""

    def serve(items: list[tuple[str, str, str]]) -> None:
        serve_feed(server, items)

    serve([])
    return serve


@pytest.fixture
def project(request, tmp_path, server, feed_xml):
    """A project folder with the seed article, a config that may fetch from 127.0.0.1, and (with
    ``@pytest.mark.feeds``) the loopback feed, owned by SERVER_A and announced in #news."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "articles", root / "articles")
    data = {"articles_dir": "articles", "index_dir": "index",
            "fetch": {"allow_private_hosts": True, "timeout": GUARD_S, "max_bytes": 200_000},
            "discord": {"feedback_db": str(tmp_path / "feedback.sqlite3"), "engine_timeout": GUARD_S},
            "feed_polling": {"state": str(tmp_path / "feeds.json")}}
    if request.node.get_closest_marker("feeds"):
        data["feeds"] = [{"url": server.url("/feed.rss"), "server": SERVER_A, "announce_channel": ANNOUNCE}]
    (root / "config.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return root


@pytest.fixture
def simcord_bot(project):
    config_path = project / "config.yaml"
    return create_bot(config_path, engine=Engine(load_config(config_path)))


def two_servers(env):
    """Server A with an admin and a member, server B with its own admin; a channel in each."""
    a = env.create_guild("A", id=SERVER_A)
    b = env.create_guild("B", id=SERVER_B)
    channel_a, channel_b = a.create_text_channel("general"), b.create_text_channel("general")
    a.create_text_channel(ANNOUNCE)
    admin_a = a.add_member(env.create_user("ada"), roles=[a.create_role("mods", permissions=discord.Permissions(
        manage_guild=True))])
    member_a = a.add_member(env.create_user("bob"))
    admin_b = b.add_member(env.create_user("bea"), roles=[b.create_role("mods", permissions=discord.Permissions(
        manage_guild=True))])
    return channel_a, channel_b, admin_a, member_a, admin_b


def fields(embed: discord.Embed) -> dict[str, str]:
    return {f.name: f.value for f in embed.fields}


def embed_text(embed: discord.Embed) -> str:
    return " ".join([embed.title or "", embed.description or "", *(f.value for f in embed.fields)])


def answer_text(result) -> str:
    return embed_text(result.response.embeds[0])


# ----- /article add ----------------------------------------------------------------------------

async def test_an_admin_adds_a_url_and_the_server_asks_about_it(simcord_env, server, project):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    url = server.page("/news/tram", NEWS_PAGE)
    result = await admin_a.slash(channel_a, "article add", url=url)
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "✅ Halverton approves Blue Line tram after decade of debate"
    shown = fields(embed)
    assert shown["Article"] == TRAM and shown["Language"] == "en" and int(shown["Sentences"]) >= 5
    assert shown["Visible in"] == "this server"
    side = yaml.safe_load((project / "articles" / f"{TRAM}.yaml").read_text(encoding="utf-8"))
    assert side["server"] == str(SERVER_A)  # the owner, on disk
    answer = await member_a.slash(channel_a, "ask", question=TRAM_QUESTION)
    assert TRAM_ANSWER in answer_text(answer)
    listed = await member_a.slash(channel_a, "article list")
    text = listed.response.embeds[0].description
    assert f"`{TRAM}`" in text and "`xiaomi-us.fr`" in text


async def test_an_admin_adds_a_file_attachment(simcord_env, project):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    result = await admin_a.slash(channel_a, "article add", file=("lisbon market.txt", BAKERY_TEXT.encode()),
                                 id="lisbon-market")
    assert result.ephemeral and fields(result.response.embeds[0])["Article"] == "lisbon-market"
    assert (project / "articles" / "lisbon-market.txt").is_file()
    answer = await member_a.slash(channel_a, "ask", question="how many stalls does the market hall have",
                                  article="lisbon-market")
    assert "forty stalls" in answer_text(answer)


async def test_an_attached_text_file_is_named_after_its_title_line(simcord_env, project):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    data = b"Lisbon market hall reopens\n\n" + BAKERY_TEXT.encode()
    result = await admin_a.slash(channel_a, "article add", file=("notes.txt", data))
    embed = result.response.embeds[0]
    assert embed.title == "✅ Lisbon market hall reopens"
    assert fields(embed)["Article"] == "lisbon-market-hall-reopens"
    assert (project / "articles" / "lisbon-market-hall-reopens.txt").is_file()


async def test_a_member_is_refused_and_nothing_is_added(simcord_env, server, project):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    before = sorted(p.name for p in (project / "articles").iterdir())
    result = await member_a.slash(channel_a, "article add", url=server.page("/news/tram", NEWS_PAGE))
    assert result.ephemeral and "Manage Server" in result.response.content
    assert sorted(p.name for p in (project / "articles").iterdir()) == before
    assert server.requests == []  # refused before anything was fetched


async def test_another_server_neither_finds_nor_removes_it(simcord_env, server, project):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    await admin_a.slash(channel_a, "article add", url=server.page("/news/tram", NEWS_PAGE))
    engine = simcord_env.bot.engine
    assert TRAM in engine.article_ids()
    # B's answers never come from A's article; B cannot name it, list it, or complete it
    answer = await admin_b.slash(channel_b, "ask", question=TRAM_QUESTION)
    assert TRAM_ANSWER not in answer_text(answer)
    named = await admin_b.slash(channel_b, "ask", question=TRAM_QUESTION, article=TRAM)
    assert named.ephemeral and f"unknown article '{TRAM}'" in named.response.content
    listed = await admin_b.slash(channel_b, "article list")
    assert TRAM not in listed.response.embeds[0].description
    assert await admin_b.autocomplete(channel_b, "ask", "article", "halv", question="x") == []
    offered = await admin_a.autocomplete(channel_a, "ask", "article", "halv", question="x")
    assert [c["value"] for c in offered] == [TRAM]
    summary = await admin_b.slash(channel_b, "summary", article=TRAM)  # refused before it is deferred
    assert summary.ephemeral and "unknown article" in summary.response.content
    removed = await admin_b.slash(channel_b, "article remove", article=TRAM)
    assert removed.ephemeral and "no article with the id" in removed.response.content
    assert (project / "articles" / f"{TRAM}.txt").is_file() and TRAM in engine.article_ids()
    # a server cannot remove a shared article either; A removes its own
    shared = await admin_a.slash(channel_a, "article remove", article="xiaomi-us.fr")
    assert "no article with the id" in shared.response.content
    own = await admin_a.slash(channel_a, "article remove", article=TRAM)
    assert f"Removed `{TRAM}`" in own.response.content
    assert TRAM not in engine.article_ids() and not (project / "articles" / f"{TRAM}.txt").exists()


@pytest.mark.parametrize("name, data, says", [
    ("big.txt", b"The council met. " * 20_000, "over the limit"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not an article file"),
    ("blob.txt", b"\x00\x01\x02binary" * 10, "binary file"),
    ("empty.txt", b"   \n", "empty"),
    ("page.html", b"<html><body><nav>Home</nav></body></html>", "page.html: only 4 characters of text"),
])
async def test_a_bad_attachment_gets_one_line_and_nothing_changes(simcord_env, project, name, data, says):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    before = {p.name: p.read_bytes() for p in (project / "articles").iterdir()}
    result = await admin_a.slash(channel_a, "article add", file=(name, data))
    assert result.ephemeral
    message = result.response.content
    assert message.startswith("Could not add the article:") and says in message and "\n" not in message
    assert {p.name: p.read_bytes() for p in (project / "articles").iterdir()} == before


async def test_add_needs_exactly_one_of_url_and_file(simcord_env, server):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    result = await admin_a.slash(channel_a, "article add")
    assert result.ephemeral and "url: or file:" in result.response.content


async def test_a_url_that_fails_gets_one_line(simcord_env, server, project):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    result = await admin_a.slash(channel_a, "article add", url=server.url("/missing"))
    message = result.response.content
    assert message.startswith("Could not add the article:") and "HTTP 404" in message


# ----- feeds ---------------------------------------------------------------------------------

@pytest.mark.feeds
async def test_the_background_poll_adds_an_article_announces_it_and_it_is_answered(simcord_env, server,
                                                                                    feed_xml):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    polling = simcord_env.bot.get_cog("Polling")
    assert polling.polled.is_set()  # the first poll ran when the bot became ready: an empty feed
    engine = simcord_env.bot.engine
    assert TRAM not in engine.article_ids()
    feed_xml([("tram-1", server.page("/news/tram", NEWS_PAGE), "Halverton tram")])
    before = await member_a.slash(channel_a, "ask", question=TRAM_QUESTION)
    assert TRAM_ANSWER not in answer_text(before)
    interval = simcord_env.bot.config.feed_polling.interval
    await simcord_env.advance_time(interval + 1)
    assert TRAM in engine.article_ids()
    after = await member_a.slash(channel_a, "ask", question=TRAM_QUESTION)
    assert TRAM_ANSWER in answer_text(after)
    other = await admin_b.slash(channel_b, "ask", question=TRAM_QUESTION)
    assert TRAM_ANSWER not in answer_text(other)  # the feed belongs to server A
    news = next(c for c in simcord_env.bot.get_guild(SERVER_A).text_channels if c.name == ANNOUNCE)
    announced = [m async for m in news.history(limit=5)]
    assert len(announced) == 1
    embed = announced[0].embeds[0]
    assert embed.title == "🆕 Halverton approves Blue Line tram after decade of debate"
    assert embed.author.name == "New article" and f"/ask article:{TRAM}" in embed.description


# ----- what the review found: paths, other servers, every way of asking ----------------------------

@pytest.mark.parametrize("source", ["{secret}", "file://{secret}", "C:/secret.txt", "~/secret.txt"])
async def test_url_takes_a_web_address_only_never_a_path_on_the_bots_disk(simcord_env, project, tmp_path, source):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    secret = tmp_path / "secret.txt"
    secret.write_text("The database password is hunter2.\n", encoding="utf-8")
    before = sorted(p.name for p in (project / "articles").iterdir())
    result = await admin_a.slash(channel_a, "article add", url=source.format(secret=secret))
    message = result.response.content
    assert message.startswith("Could not add the article:") and ("http://" in message or "web address" in message)
    assert sorted(p.name for p in (project / "articles").iterdir()) == before


async def test_direct_messages_and_mentions_in_another_server_never_see_a_servers_article(simcord_env, server):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    await admin_a.slash(channel_a, "article add", url=server.page("/news/tram", NEWS_PAGE))
    bot = simcord_env.bot.user
    mention = await admin_b.send(channel_b, f"<@{bot.id}> {TRAM_QUESTION}")
    reply = channel_b.last_message
    assert reply.reference is not None and reply.reference.message_id == mention.id
    assert TRAM_ANSWER not in embed_text(reply.embeds[0])
    user = simcord_env.create_user("dana")
    await user.send_dm(TRAM_QUESTION)  # a direct message sees the shared articles only
    answer = user.dm_channel.last_message
    assert answer.author.id == bot.id
    assert TRAM_ANSWER not in embed_text(answer.embeds[0])
    await member_a.send(channel_a, f"<@{bot.id}> {TRAM_QUESTION}")
    assert TRAM_ANSWER in embed_text(channel_a.last_message.embeds[0])  # in A, its own article answers


async def test_the_same_page_in_two_servers_gives_each_its_own_copy_without_naming_the_other(simcord_env, server):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    url = server.page("/news/tram", NEWS_PAGE)
    await admin_a.slash(channel_a, "article add", url=url)
    result = await admin_b.slash(channel_b, "article add", url=url)
    shown = fields(result.response.embeds[0])
    assert shown["Article"] == f"{TRAM}-2" and shown["Visible in"] == "this server"
    again = await admin_b.slash(channel_b, "article add", url=url)  # B's own copy is B's duplicate
    assert f"already in the library as '{TRAM}-2'" in again.response.content
    answer = await admin_b.slash(channel_b, "ask", question=TRAM_QUESTION)
    assert TRAM_ANSWER in answer_text(answer) and f"{TRAM}-2" in simcord_env.bot.engine.article_ids()


@pytest.mark.parametrize("name, data, asked, expected", [
    ("market.md", b"# Lisbon market\n\n" + BAKERY_TEXT.encode(), "how many stalls does the hall have", "forty stalls"),
    ("tram.html", NEWS_PAGE.encode(), TRAM_QUESTION, TRAM_ANSWER),
])
async def test_markdown_and_html_attachments(simcord_env, project, name, data, asked, expected):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    result = await admin_a.slash(channel_a, "article add", file=(name, data))
    art_id = fields(result.response.embeds[0])["Article"]
    answer = await member_a.slash(channel_a, "ask", question=asked, article=art_id)
    assert expected in answer_text(answer)


async def test_article_info_on_an_unknown_or_hidden_article_says_so(simcord_env, server):
    channel_a, channel_b, admin_a, member_a, admin_b = two_servers(simcord_env)
    await admin_a.slash(channel_a, "article add", url=server.page("/news/tram", NEWS_PAGE))
    hidden = await admin_b.slash(channel_b, "article info", article=TRAM)
    assert hidden.ephemeral and hidden.response.content.startswith("I can't show that: unknown article")
    own = await member_a.slash(channel_a, "article info", article=TRAM)
    assert own.response.embeds[0].title.endswith("Halverton approves Blue Line tram after decade of debate")

