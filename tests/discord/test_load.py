"""A burst of 500 questions from 50 users, mixed slash and mention, through SimCord.

Checked here, on any machine: every question gets exactly one answer or one cooldown notice (none
lost, none answered twice), the cooldown holds, and the bot's own state stays bounded. The event
loop's lag during the burst depends on the machine and is reported by ``article-bot bench --burst``,
not asserted (the scenario is shared: ``bot.discord.burst``).
"""

from __future__ import annotations

import ctypes
import gc
import os

from bot.devtools.burst import QUESTIONS, burst

USERS, PER_USER = 50, 10


def rss_mb() -> float:
    """Resident memory now, after a full collection and handing free heap pages back to the OS."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open(f"/proc/{os.getpid()}/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def test_burst_of_500_questions_from_50_users(world, capsys):
    env, guild, channel, alice = world
    before = rss_mb()
    result = await burst(env, guild, channel, USERS, PER_USER)
    after = rss_mb()
    with capsys.disabled():
        figures = result.figures()
        print(f"\nburst: {figures['burst_questions']} questions, {figures['burst_answers']} answers, "
              f"{figures['burst_cooldown_notices']} cooldown notices, RSS {before:.0f} -> {after:.0f} MB "
              f"(loop lag, machine-dependent: worst {figures['burst_loop_lag_worst_ms']} ms)")
    assert len(result.replies) == USERS * PER_USER
    assert result.lost == [] and result.duplicated == []  # exactly one reply each
    assert result.unexpected == []  # every reply is an answer or a cooldown notice
    assert result.answers + result.notices == USERS * PER_USER
    assert result.answers == USERS * 3  # the cooldown allows 3 questions per user per 30 s
    # The bot's own state stays bounded: one cooldown bucket per user, discord.py's message cache
    # at its cap, no engine work left behind.
    bot = env.bot
    assert len(bot.cooldowns._buckets) <= USERS + 1
    assert len(bot.cached_messages) <= 1000
    assert bot.engine_slots._value == bot.config.discord.max_concurrency
    # RSS also holds the simulated Discord's record of the 1,000 messages, their payloads and
    # HTTP log (measured with tracemalloc at roughly 0.1 MB per question), hence the margin.
    assert after - before < 200, (before, after)


async def test_memory_held_by_the_bot_comes_back_after_a_burst(world, capsys):
    """Python heap held by the bot's code and discord.py, traced across a 200-question burst.

    The simulated Discord keeps every message (it is the test's world), so the process RSS keeps
    them too; what the bot itself holds after the burst is what matters and is measured here.
    """
    import tracemalloc

    env, guild, channel, alice = world
    users = [guild.add_member(env.create_user(f"user{i}")) for i in range(20)]
    me = env.bot.user

    async def burst() -> None:
        for round_ in range(10):
            for i, user in enumerate(users):
                if (i + round_) % 2:
                    await user.slash(channel, "ask", question=QUESTIONS[round_ % len(QUESTIONS)])
                else:
                    await user.send(channel, f"{me.mention} {QUESTIONS[i % len(QUESTIONS)]}")
        await env.advance_time(31)

    await burst()  # warm-up: caches and pools reach their size
    ours = [tracemalloc.Filter(True, "*/bot/*"), tracemalloc.Filter(True, "*/discord/*")]
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.take_snapshot().filter_traces(ours)
        await burst()
        gc.collect()
        after = tracemalloc.take_snapshot().filter_traces(ours)
    finally:
        tracemalloc.stop()
    growth = sum(stat.size_diff for stat in after.compare_to(before, "filename")) / 2**20
    with capsys.disabled():
        print(f"\nheap held by bot/ and discord.py across a 200-question burst: {growth:+.2f} MB")
    assert growth < 2.0, growth  # discord.py's message cache is capped; nothing else accumulates
