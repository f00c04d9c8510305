"""A burst of questions from many users through SimCord, shared by the load test and ``bench --burst``.

A dev tool: it needs the ``test`` extra (simcord). Every question goes through the real dispatch,
cooldown, worker-thread engine call and send; SimCord runs one actor operation at a time, so the
questions arrive back to back rather than in parallel. While they do, a task that sleeps for a
few milliseconds wakes up and records how late it woke (the event loop's lag).

What holds on any machine (nothing lost, nothing answered twice, cooldowns held) is in
:class:`BurstResult` for the test to assert; the lag depends on the machine and is only reported.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Config
from bot.qa.engine import Engine

if TYPE_CHECKING:  # annotations only: simcord is the test extra's, imported when the burst runs
    from simcord import Env
    from simcord.builders import ChannelHandle, GuildHandle

QUESTIONS = ("who is Hugo Barra?", "when will Xiaomi enter the US?", "quand Xiaomi arrive-t-il aux USA ?",
             "what is the capital of Peru?", "¿quién es Hugo Barra?", "wer ist Hugo Barra?")

#: How long SimCord may wait, in wall-clock seconds, for the bot to finish one operation. A guard
#: against a hung test, not a budget: on an overloaded machine a rebuild can take tens of seconds.
SETTLE_GUARD_S = 300.0


@dataclass
class BurstResult:
    """What a burst produced: one entry per question in ``replies`` (how many replies it got)."""

    questions: int
    answers: int = 0
    notices: int = 0
    unexpected: list[str] = field(default_factory=list)  # a reply that is neither an answer nor a notice
    replies: dict[str, int] = field(default_factory=dict)  # question label -> replies received
    lags_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def lost(self) -> list[str]:
        return [q for q, n in self.replies.items() if n == 0]

    @property
    def duplicated(self) -> list[str]:
        return [q for q, n in self.replies.items() if n > 1]

    def figures(self) -> dict[str, Any]:
        """The figures ``bench --burst`` prints (latencies are this machine's, not pass/fail)."""
        lags = sorted(self.lags_ms) or [0.0]
        return {"burst_questions": self.questions, "burst_answers": self.answers,
                "burst_cooldown_notices": self.notices, "burst_lost": len(self.lost),
                "burst_duplicated": len(self.duplicated), "burst_unexpected": len(self.unexpected),
                "burst_s": round(self.seconds, 2),
                "burst_loop_lag_worst_ms": round(lags[-1], 1),
                "burst_loop_lag_p99_ms": round(lags[min(len(lags) - 1, int(len(lags) * 0.99))], 1)}


#: The lag sampler sleeps this long between samples. It must sleep, not spin on ``sleep(0)``: a
#: spinning task holds the GIL and starves the engine's worker threads (a 500-question burst took
#: 130 s instead of 25 s), so the figure would mostly measure the sampler.
SAMPLE_EVERY_S = 0.002


async def _sample_lag(stop: asyncio.Event, lags: list[float]) -> None:
    """Lag = how late each ``SAMPLE_EVERY_S`` sleep wakes up: the time the loop was busy elsewhere."""
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(SAMPLE_EVERY_S)
        lags.append(max(0.0, (time.perf_counter() - before - SAMPLE_EVERY_S) * 1000))


async def burst(env: Env, guild: GuildHandle, channel: ChannelHandle, users: int = 50, per_user: int = 10,
                warmup: int = 20) -> BurstResult:
    """``users`` members each ask ``per_user`` questions, alternating ``/ask`` and mentions.

    A warm-up of ``warmup`` questions first (thread pools, caches), then the virtual clock moves
    past the cooldown so the burst starts with full buckets.
    """
    members = [guild.add_member(env.create_user(f"user{i}")) for i in range(users)]
    me = env.bot.user
    for member in members[:warmup]:
        await member.slash(channel, "ask", question=QUESTIONS[0])
    await env.advance_time(env.bot.config.discord.cooldown_per + 1)

    result = BurstResult(questions=users * per_user)
    stop = asyncio.Event()
    sampler = asyncio.ensure_future(_sample_lag(stop, result.lags_ms))
    started = time.perf_counter()
    slash, mentions = [], []
    for round_ in range(per_user):
        for i, member in enumerate(members):
            question = QUESTIONS[(i + round_) % len(QUESTIONS)]
            if (i + round_) % 2:
                slash.append((f"slash {round_}/{i}", await member.slash(channel, "ask", question=question)))
            else:
                mentions.append(await member.send(channel, f"{me.mention} {question}"))
    result.seconds = time.perf_counter() - started
    stop.set()
    await sampler

    for label, outcome in slash:
        message = outcome.response
        result.replies[label] = (message is not None) + len(outcome.followups)
        if message is not None:
            _count(result, label, bool(message.embeds), message.content)
    by_question: dict[int, list] = {}
    for message in channel.history():
        if message.author.id == me.id and message.reference is not None:
            by_question.setdefault(message.reference.message_id, []).append(message)
    for question in mentions:
        got = by_question.get(question.id, [])
        label = f"mention {question.id}: {question.content}"
        result.replies[label] = len(got)
        if got:
            _count(result, label, bool(got[0].embeds), got[0].content)
    return result


def _count(result: BurstResult, label: str, has_embed: bool, content: str | None) -> None:
    if has_embed:
        result.answers += 1
    elif content and "try again in" in content:
        result.notices += 1
    else:
        result.unexpected.append(f"{label}: {content!r}")


def run_burst(config: Config, engine: Engine, users: int = 50, per_user: int = 10) -> dict[str, Any]:
    """``bench --burst``: the burst against a bot built around ``engine``, in a fresh event loop."""
    import dataclasses
    import tempfile
    from pathlib import Path

    from bot.devtools.simulated import import_simcord
    from bot.discord.app import ArticleBot

    simcord = import_simcord("bench --burst drives the bot through SimCord, a test dependency: "
                             "pip install -e '.[test]'")

    async def main(feedback_db: Path) -> BurstResult:
        cfg = dataclasses.replace(config, discord=dataclasses.replace(config.discord, feedback_db=feedback_db))
        async with simcord.run(ArticleBot(cfg, engine=engine), settle_timeout=SETTLE_GUARD_S) as env:
            guild = env.create_guild()
            return await burst(env, guild, guild.create_text_channel("general"), users, per_user)

    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(main(Path(tmp) / "feedback.sqlite3")).figures()
