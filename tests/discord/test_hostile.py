"""Every item of the bad-input catalogue through the bot (mention path), with the real engine."""

from __future__ import annotations

import pytest
from simcord.backend.errors import BackendError

from tests.support.hostile import CATALOGUE, SENTENCE


@pytest.mark.parametrize("name, question, expected", CATALOGUE, ids=[c[0] for c in CATALOGUE])
async def test_hostile_question_on_discord(world, name, question, expected):
    env, guild, channel, alice = world
    me = env.bot.user
    content = f"{me.mention} {question}"
    if len(content) > 2000:  # Discord itself refuses the message: nothing reaches the bot
        with pytest.raises(BackendError, match="2000 or fewer"):
            await alice.send(channel, content)
        content = content[:2000]  # the longest message Discord delivers: still over our 1000 limit
    sent = await alice.send(channel, content)
    replies = [m for m in channel.history() if m.author.id == me.id and m.reference
               and m.reference.message_id == sent.id]
    assert len(replies) == 1  # exactly one sane reply, never silence or a crash
    reply = replies[0]
    assert env.errors == []
    for request in env.http_requests:
        if isinstance(request.json, dict) and "allowed_mentions" in request.json:
            assert request.json["allowed_mentions"]["parse"] == []  # no ping, ever
    text = reply.content + " ".join((e.title or "") + (e.description or "") for e in reply.embeds)
    assert "@everyone" not in text and "@here" not in text
    if expected == "refuse":
        assert not reply.embeds
        assert "Ask me a question" in reply.content or "can't use that question" in reply.content
    else:
        assert reply.embeds
        if name == "whole article sentence":
            assert SENTENCE in reply.embeds[0].description.replace("\\", "").replace("*", "")  # span marks aside
