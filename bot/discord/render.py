"""Engine values → discord.Embed, always within Discord's limits.

Limits: title 256, description 4096, field name 256, field value 1024, footer 2048, 25 fields,
6000 characters in all. User text is escaped (markdown and mentions) wherever it is echoed.
"""

from __future__ import annotations

import discord

from bot.confidence.tiers import Tier
from bot.discord.i18n import label
from bot.qa.answer import Answer, Chosen, Route, Summary
from bot.qa.render import CLOSEST_MIN, bar
from bot.retrieval.values import Passage

TITLE, DESCRIPTION, FIELD, FOOTER, TOTAL = 256, 4096, 1024, 2048, 6000
COLOUR_ANSWER, COLOUR_UNSURE, COLOUR_ABSTAIN, COLOUR_SUMMARY = 0x2B8A3E, 0xE67700, 0x868E96, 0x1C7ED6


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe(text: str) -> str:
    """Markdown and mentions escaped: ``@everyone`` and ``<@&id>`` cannot ping or format."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def gauge(confidence: float) -> str:
    """The console's bar with the percentage: ``██████░░░░ 62%``."""
    return f"{bar(confidence)} {confidence:.0%}"


def position(p: Passage, lang: str) -> str:
    return f"§{p.sentence.paragraph} · {label(lang, 'sentence')} {p.sentence.number}"


def _footer(embed: discord.Embed, title: str | None, source: str | None) -> None:
    text = " — ".join(x for x in (title, source) if x)
    if text:
        embed.set_footer(text=clip(text, FOOTER))


def fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields, then shorten the description, until the embed is within 6000."""
    while len(embed) > TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > TOTAL and embed.description:
        embed.description = clip(embed.description, max(1, len(embed.description) - (len(embed) - TOTAL)))
    return embed


def quoted(answer: Answer) -> str:
    """The first passage's sentence, escaped: its answer span in bold, or all of it when it has none."""
    text = answer.passage.sentence.text if answer.passage else ""
    if answer.span is None:
        return f"**« {safe(text)} »**"
    i, j = answer.span
    return f"« {safe(text[:i])}**{safe(text[i:j])}**{safe(text[j:])} »"


def answer_embed(answer: Answer, lang: str, titles: dict[str, str] | None = None) -> discord.Embed:
    """The answer quoted (its short answer in bold), context, confidence bar, position, two other
    passages; an unsure answer under a hedge; or "not covered" with the closest passage. Above the quote,
    when the conversation's article did not cover the question, a line saying so (the answer comes from
    another article); under it, the earlier question a follow-up was read with; and another article that
    fits nearly as well. ``titles``: article id → title, for the articles these lines name."""
    embed = _answer_embed(answer, lang)
    titles = titles or {}
    if answer.route is Route.FALLBACK and answer.conversation_article:
        name = safe(titles.get(answer.conversation_article, answer.conversation_article))
        embed.description = clip(f"{label(lang, 'fallback', title=name)}\n{embed.description}", DESCRIPTION)
    if answer.read_with:
        embed.description = clip(f"{embed.description}\n*{label(lang, 'read_with', q=safe(answer.read_with))}*",
                                 DESCRIPTION)
    other = answer.alternative
    if other is not None:
        name = safe(titles.get(other.sentence.article, other.sentence.article))
        embed.insert_field_at(0, name=label(lang, "also_fits"), inline=False,
                              value=clip(f"**{name}**: « {safe(other.sentence.text)} »", FIELD))
    return fit(embed)


def _answer_embed(answer: Answer, lang: str) -> discord.Embed:
    question = clip(safe(answer.question), TITLE - 2)
    if answer.tier is Tier.NOT_COVERED or answer.passage is None:
        embed = discord.Embed(title=clip(f"❔ {label(lang, 'not_covered')}", TITLE),
                              description=clip(f"> {question}\n\n{label(lang, 'not_covered_text')}", DESCRIPTION),
                              colour=COLOUR_ABSTAIN)
        if answer.passage is not None and (answer.coverage or 0.0) >= CLOSEST_MIN:
            embed.add_field(name=label(lang, "maybe"),
                            value=clip(f"« {safe(answer.passage.sentence.text)} » ({position(answer.passage, lang)})",
                                       FIELD), inline=False)
        _footer(embed, answer.article_title, answer.article_source)
        return fit(embed)
    p = answer.passage
    unsure = answer.tier is Tier.UNSURE
    body = f"{label(lang, 'unsure')}\n{quoted(answer)}" if unsure else quoted(answer)
    embed = discord.Embed(title=clip(f"{'🤔' if unsure else '💬'} {question}", TITLE),
                          description=clip(body, DESCRIPTION), colour=COLOUR_UNSURE if unsure else COLOUR_ANSWER)
    context = " ".join([safe(s.text) for s in p.before] + ["[…]"] + [safe(s.text) for s in p.after]) \
        if p.before or p.after else ""
    if context:
        embed.add_field(name=label(lang, "context"), value=clip(context, FIELD), inline=False)
    embed.add_field(name=label(lang, "confidence"), value=gauge(answer.confidence), inline=True)
    embed.add_field(name=label(lang, "position"), value=position(p, lang), inline=True)
    for i, other in enumerate(answer.others[:2], start=2):
        embed.add_field(name=f"{label(lang, 'others')} ({i})" if i == 2 else f"({i})",
                        value=clip(f"« {safe(other.sentence.text)} » ({position(other, lang)})", FIELD),
                        inline=False)
    _footer(embed, answer.article_title, answer.article_source)
    return fit(embed)


def summary_embed(summary: Summary, lang: str, key_points: bool, source: str | None) -> discord.Embed:
    heading = label(lang, "key_points" if key_points else "summary")
    if summary.focus:
        heading += f" · {label(lang, 'focus')}: {safe(summary.focus)}"
    sentences = [safe(s.text) for s in summary.sentences]
    body = "\n".join(f"• {s}" for s in sentences) if key_points else " ".join(sentences)
    embed = discord.Embed(title=clip(f"📰 {heading}", TITLE), description=clip(body, DESCRIPTION),
                          colour=COLOUR_SUMMARY)
    if summary.picked:  # the engine picked it among several: say which, and how to pick another
        note = label(lang, "summary_of_newest" if summary.chosen is Chosen.NEWEST else "summary_of_first",
                     title=safe(summary.title), id=summary.article, n=summary.among)
        embed.add_field(name=label(lang, "which_article"), value=clip(note, FIELD), inline=False)
    _footer(embed, summary.title, source)
    return fit(embed)


def text_embed(title: str, text: str, colour: int = COLOUR_ABSTAIN) -> discord.Embed:
    return fit(discord.Embed(title=clip(title, TITLE), description=clip(text, DESCRIPTION), colour=colour))
