"""Which article: the one order articles are shown in (CLI and Discord alike), the added time shown, the
article /summary picks among several — via the CLI and SimCord.

A three-article project on the seeded hashing encoders, one article added after the first build, so
the index's own order (the order they were added) is not the order they are shown in.
"""

from __future__ import annotations

import json
import re

import discord
import pytest

from bot import create_bot
from bot.cli.main import main
from bot.clock import moment
from bot.index.sentence_index import SentenceIndex
from bot.qa.engine import Engine
from tests.support.project import Project

HARBOUR = "The harbour reopened on Friday after the storm. Ferries sail again every hour.\n"
SHOWN = ["bakery.en", "Harbour", "tram.en"]  # by id, ignoring case


@pytest.fixture
def three(make_project, tmp_path) -> Project:
    project = make_project(bakery=True)
    Engine(project.config())
    source = tmp_path / "harbour.txt"
    source.write_text(HARBOUR, encoding="utf-8")
    assert main(["add", str(source), "--id", "Harbour", "--config", str(project.config_path)]) == 0
    return project


@pytest.fixture
def simcord_bot(three):
    return create_bot(three.config_path, engine=Engine(three.config()))


def fields(embed: discord.Embed) -> dict[str, str]:
    return {f.name: f.value for f in embed.fields}


def member(env):
    """A server with #general and a member, alice."""
    guild = env.create_guild()
    return guild.create_text_channel("general"), guild.add_member(env.create_user("alice"))


def cli_out(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main([*argv]) == 0
    return capsys.readouterr().out


async def test_list_info_and_discord_show_the_articles_in_one_order(simcord_env, three, capsys):
    assert [a.id for a in SentenceIndex.load(three.index).articles] == ["bakery.en", "tram.en", "Harbour"]
    config = ("--config", str(three.config_path))
    listed = [line.split(":")[0] for line in cli_out(capsys, "list", *config).splitlines()]
    listed_json = [a["id"] for a in json.loads(cli_out(capsys, "list", "--json", *config))]
    info = [line.split(":")[0] for line in cli_out(capsys, "info", *config).splitlines()[: len(SHOWN)]]
    info_json = [a["id"] for a in json.loads(cli_out(capsys, "info", "--json", *config))["articles"]]
    channel, alice = member(simcord_env)
    result = await alice.slash(channel, "article list")
    in_discord = re.findall(r"^`([^`]+)`", result.response.embeds[0].description, re.M)
    offered = [c["value"] for c in await alice.autocomplete(channel, "ask", "article", "", question="x")]
    assert listed == listed_json == info == info_json == in_discord == offered == SHOWN


async def test_article_info_shows_no_added_time_for_an_article_put_in_by_hand(simcord_env):
    channel, alice = member(simcord_env)
    by_hand = await alice.slash(channel, "article info", article="tram.en")
    assert "Added" not in fields(by_hand.response.embeds[0])  # not the time the index was first built
    added = await alice.slash(channel, "article info", article="Harbour")
    when = simcord_env.bot.engine.index.article("Harbour").added_at
    assert fields(added.response.embeds[0])["Added"] == discord.utils.format_dt(moment(when), "f")


async def test_summary_of_several_names_the_article_it_picked(simcord_env):
    channel, alice = member(simcord_env)
    result = await alice.slash(channel, "summary")
    embed = result.response.embeds[0]
    assert fields(embed)["Which article"] == ("Summary of **The harbour reopened on Friday after the storm.** "
                                              "(`Harbour`), the most recently added of 3 articles; pick another "
                                              "with `article:`")
    assert "Ferries sail again" in embed.description
    asked = await alice.slash(channel, "summary", article="tram.en")
    assert "Which article" not in fields(asked.response.embeds[0])


async def test_summary_of_several_names_the_article_in_french(simcord_env, french_user):
    channel, alice = member(simcord_env)
    result = await alice.slash(channel, "summary")
    assert fields(result.response.embeds[0])["Quel article"] == (
        "Résumé de **The harbour reopened on Friday after the storm.** (`Harbour`), le plus récemment ajouté des 3 "
        "articles ; choisissez-en un autre avec `article:`")
