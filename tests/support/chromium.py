"""Debian's headless Chromium, driven through its DevTools protocol (a websocket, with aiohttp).

``Chromium.start(url)`` launches the browser on a scratch profile with ``--remote-debugging-port=0``,
reads the port it chose from its stderr, and attaches to the page. ``evaluate`` runs JavaScript in
the page; ``type_text`` and ``press`` send real keyboard input (``Input.*``), as a person typing
would; ``wait_for`` evaluates a JavaScript condition until it holds (the page updates when the
preview pushes a new state: there is no fixed sleep). Nothing here knows the page being tested.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import shutil
import tempfile
from typing import Any

import aiohttp

from tests.support.waits import GUARD_S

KEYS = {  # DevTools key events: (key, code, windowsVirtualKeyCode)
    "Enter": ("Enter", "Enter", 13),
    "Tab": ("Tab", "Tab", 9),
    "Escape": ("Escape", "Escape", 27),
    "ArrowDown": ("ArrowDown", "ArrowDown", 40),
}


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class Chromium:
    def __init__(self, proc: asyncio.subprocess.Process, profile: tempfile.TemporaryDirectory,
                 session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.proc, self._profile, self._session, self._ws = proc, profile, session, ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, url: str, width: int = 1100, height: int = 800) -> Chromium:
        binary = find_chromium()
        if binary is None:
            raise RuntimeError("no chromium on PATH (Debian: apt-get install chromium)")
        profile = tempfile.TemporaryDirectory(prefix="chromium-")
        proc = await asyncio.create_subprocess_exec(
            # no background networking, component updates or sync: this machine's network is closed, and a
            # test must not reach anything but 127.0.0.1
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
            "--remote-debugging-port=0", f"--user-data-dir={profile.name}", f"--window-size={width},{height}",
            "about:blank", stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        port = await asyncio.wait_for(cls._devtools_port(proc), GUARD_S)
        session = aiohttp.ClientSession()
        async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
            pages = [t for t in await response.json(content_type=None) if t["type"] == "page"]
        ws = await session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        browser = cls(proc, profile, session, ws)
        await browser.send("Page.enable")
        await browser.send("Runtime.enable")
        await browser.send("Page.navigate", url=url)
        await browser.wait_for(f"document.readyState === 'complete' && location.href === {json.dumps(url)}",
                               f"{url} loaded")
        return browser

    @staticmethod
    async def _devtools_port(proc: asyncio.subprocess.Process) -> int:
        while line := await proc.stderr.readline():
            if match := re.search(rb"DevTools listening on ws://[^:]+:(\d+)/", line):
                asyncio.ensure_future(proc.stderr.read())  # keep draining, so chromium never blocks on it
                return int(match.group(1))
        raise RuntimeError("chromium exited before it opened its DevTools port")

    async def _read(self) -> None:
        async for message in self._ws:
            data = json.loads(message.data)
            future = self._pending.pop(data.get("id"), None)
            if future is not None and not future.done():
                future.set_result(data)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[call_id] = future
        await self._ws.send_str(json.dumps({"id": call_id, "method": method, "params": params}))
        data = await asyncio.wait_for(future, GUARD_S)
        if "error" in data:
            raise RuntimeError(f"{method}: {data['error']}")
        return data.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails'].get('text')}: "
                               f"{result['exceptionDetails'].get('exception', {}).get('description')}")
        return result["result"].get("value")

    async def wait_for(self, condition: str, what: str) -> Any:
        """Evaluate ``condition`` each time the page may have changed until it is truthy; return its value."""
        async def poll() -> Any:
            while not (value := await self.evaluate(condition)):
                await self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
            return value
        try:
            return await asyncio.wait_for(poll(), GUARD_S)
        except TimeoutError:
            shown = await self.evaluate("document.body ? document.body.innerText.slice(-2000) : ''")
            raise AssertionError(f"the page never showed {what}; its text ends with:\n{shown}") from None

    async def type_text(self, text: str) -> None:
        await self.send("Input.insertText", text=text)

    async def fill(self, selector: str, text: str) -> None:
        """Click the field ``selector`` and type ``text`` into it, as a person would, until the field holds it.

        A page that re-renders while the text goes in (a state push from the server) can drop the keystrokes;
        like a person seeing an empty field, this clicks and types again (a few times, then fails).
        """
        field = f"document.querySelector({json.dumps(selector)})"
        for _ in range(5):
            await self.click(selector)
            await self.evaluate(f"{field}?.select()")
            await self.type_text(text)
            await self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))")
            if await self.evaluate(f"{field}?.value === {json.dumps(text)} && document.activeElement === {field}"):
                return
        raise AssertionError(f"{selector} never kept the text {text!r}")

    async def press(self, name: str) -> None:
        key, code, vk = KEYS[name]
        for kind in ("keyDown", "keyUp"):
            await self.send("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                            windowsVirtualKeyCode=vk, nativeVirtualKeyCode=vk,
                            **({"text": "\r"} if name == "Enter" and kind == "keyDown" else {}))

    async def click(self, selector: str) -> None:
        """A real mouse click in the middle of the first element matching ``selector``."""
        await self._click_at(f"document.querySelector({json.dumps(selector)})", selector)

    async def click_text(self, selector: str, text: str) -> None:
        """A real mouse click on the last element matching ``selector`` whose text is ``text``."""
        await self._click_at(f"[...document.querySelectorAll({json.dumps(selector)})]"
                             f".filter(e => e.innerText.trim() === {json.dumps(text)}).pop()", f"{selector} {text!r}")

    async def _click_at(self, element: str, what: str) -> None:
        box = await self.wait_for(f"""(() => {{ const e = {element}; if (!e) return null;
            e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return r.width && r.height ? {{x: r.x + r.width / 2, y: r.y + r.height / 2}} : null; }})()""", what)
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            await self.send("Input.dispatchMouseEvent", type=kind, x=box["x"], y=box["y"], button="left",
                            clickCount=0 if kind == "mouseMoved" else 1)

    async def screenshot(self) -> bytes:
        import base64
        return base64.b64decode((await self.send("Page.captureScreenshot", format="png"))["data"])

    async def close(self) -> None:
        self._reader.cancel()
        await self._ws.close()
        await self._session.close()
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        self._profile.cleanup()
