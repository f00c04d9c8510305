"""How tests wait: for the event they need, with one generous guard against a hung test.

``GUARD_S`` is never a budget that a slow or overloaded machine could miss: a test that reaches it
has hung (a deadlock, a lost event). Latency figures belong to ``article-bot bench``, not to tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

GUARD_S = 300.0


async def until(condition: Callable[[], bool], guard: float = GUARD_S) -> bool:
    """Yield to the event loop until ``condition()`` holds; False if the guard passed first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + guard
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True
