"""Embeds stay within Discord's limits and never carry live mentions or markdown from users."""

from __future__ import annotations

import discord

from bot.confidence.tiers import Tier
from bot.corpus.article import Sentence
from bot.discord.render import answer_embed, summary_embed
from bot.qa.answer import Answer, Summary
from bot.retrieval.values import Passage


def sentence(i: int, text: str, paragraph: int = 1) -> Sentence:
    return Sentence(i, "a", paragraph, i + 1, 0, len(text), text, "prose")


def long_answer(n: int = 5000) -> Answer:
    big = "word " * (n // 5)
    rows = [sentence(i, f"{i} {big}") for i in range(6)]
    passage = Passage(rows[2], (rows[1],), (rows[3],), 0.9)
    others = tuple(Passage(r, (), (), 0.5) for r in rows[4:])
    return Answer("q" * 290 + " @everyone", Tier.ANSWER, 0.87, passage, others, "T" * 3000, "S" * 3000)


def within_limits(embed: discord.Embed) -> None:
    assert len(embed) <= 6000
    assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    for f in embed.fields:
        assert len(f.name) <= 256 and len(f.value) <= 1024
    assert len(embed.footer.text or "") <= 2048


def test_huge_answer_fits_discord_limits():
    for lang in ("en", "fr"):
        embed = answer_embed(long_answer(), lang)
        within_limits(embed)
        assert embed.description.startswith("**« 2 word")  # the answer is kept first


def test_huge_summary_fits_discord_limits():
    rows = tuple(sentence(i, "x" * 2000) for i in range(7))
    embed = summary_embed(Summary("a", "t" * 500, rows, "long", "f" * 200), "en", True, "s" * 3000)
    within_limits(embed)


def test_user_text_is_escaped():
    answer = Answer("**bold** @everyone <@&123456789012345678> `code` [link](http://x)", Tier.NOT_COVERED, 0.1, None)
    embed = answer_embed(answer, "en")
    assert "@everyone" not in embed.description.replace("@\u200beveryone", "")
    assert "<@&123456789012345678>" not in embed.description
    assert "\\*\\*bold\\*\\*" in embed.description


def test_the_three_tiers_and_the_span_in_bold():
    row = sentence(0, "The line will open in *March* 2026, officials said.")
    passage = Passage(row, (), (), 0.8)
    start = row.text.index("in *March* 2026")
    answer = Answer("when?", Tier.ANSWER, 0.91, passage, span=(start + 3, start + 15), coverage=0.95)
    embed = answer_embed(answer, "en")
    assert embed.description == "« The line will open in **\\*March\\* 2026**, officials said. »"
    assert "91%" in next(f.value for f in embed.fields if f.name == "Confidence")
    unsure = answer_embed(Answer("when?", Tier.UNSURE, 0.32, passage, coverage=0.7), "fr")
    assert unsure.description.startswith("L'article ne le dit peut-être pas exactement — passage le plus proche :\n")
    assert "**« The line will open" in unsure.description  # no span: the whole sentence in bold
    assert unsure.colour.value != embed.colour.value
    covered_not = answer_embed(Answer("when?", Tier.NOT_COVERED, 0.05, passage, coverage=0.3), "en")
    assert covered_not.title == "❔ Not covered by the article"
    assert [f.name for f in covered_not.fields] == ["Maybe related"]  # the closest passage, plainly
