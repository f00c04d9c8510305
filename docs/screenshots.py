"""`make screenshots`: pictures of what members see, made from the real bot, for the README.

The real bot (``create_bot``, the real engine on the seed article) runs against SimCord's in-memory
Discord; each scene (an answer, an unsure answer, "not covered", a summary, ``/stats`` after a
simulated day of questions, a moderator's ``/article add``) is shown in SimCord's local preview (``env.preview``, the
``simcord[preview]`` extra) and photographed by a headless Chromium (Debian's ``chromium``). PNGs
go to ``docs/``. A dev tool: nothing here is imported by the bot.

    .venv/bin/python docs/screenshots.py [--chromium PATH] [--out docs]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
from pathlib import Path

import discord
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import create_bot  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.corpus.parse import parse_article  # noqa: E402
from bot.devtools.bench import article_page, serve_pages  # noqa: E402
from bot.qa.engine import Engine  # noqa: E402

#: A simulated day in a server: questions members typed, answered by the real engine.
DAY = ["when will xiaomi enter the us", "who is hugo barra", "combien de brevets xiaomi a acheté",
       "c quand la sortie aux usa", "what is the capital of peru", "how old is hugo barra",
       "how much does the mi box cost", "wer ist hugo barra", "qui est le ceo de xiaomi", "what is the weather"]


async def photograph(chromium: str, url: str, path: Path, width: int = 960, height: int = 720) -> None:
    """Chromium in its own process, awaited, so this loop keeps serving the preview page."""
    with tempfile.TemporaryDirectory() as profile:
        proc = await asyncio.create_subprocess_exec(
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={profile}", f"--window-size={width},{height}", "--virtual-time-budget=8000",
            f"--screenshot={path}", url, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await proc.wait()
    if not path.is_file():
        raise SystemExit(f"chromium wrote no {path}")
    print(f"wrote {path.relative_to(ROOT)}")


async def main(chromium: str, out: Path) -> None:
    from simcord import Env

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "articles", folder / "articles")
        shutil.copytree(ROOT / "index", folder / "index")  # `/article add` writes to it: a copy
        config = {"articles_dir": "articles", "index_dir": "index", "fetch": {"allow_private_hosts": True},
                  "discord": {"feedback_db": str(folder / "journal.sqlite3"), "cooldown": {"rate": 100, "per": 1}}}
        (folder / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        engine = Engine(load_config(folder / "config.yaml"))
        env = Env(create_bot(folder / "config.yaml", engine=engine))
        await env.start()
        try:
            guild = env.create_guild(name="News Club")
            channel = guild.create_text_channel("news")
            owner_role = guild.create_role("moderators", permissions=discord.Permissions(manage_guild=True))
            owner = guild.add_member(env.create_user("mod"), roles=[owner_role])
            members = [guild.add_member(env.create_user(name)) for name in ("alice", "bob", "chloé", "dieter")]
            rng = random.Random(7)
            scenes = {
                "answer": await members[0].slash(channel, "ask", question="when will Xiaomi enter the US?"),
                "unsure": await members[1].slash(channel, "ask", question="how much does the mi box cost"),
                "not-covered": await members[2].slash(channel, "ask", question="what is the capital of Peru?"),
                "summary": await members[3].slash(channel, "summary", length="short"),
            }
            for i in range(200):  # a simulated day: 200 questions, some 👎
                result = await rng.choice(members).slash(channel, "ask", question=DAY[i % len(DAY)])
                if i % 9 == 0 and result.response.components:
                    down = [c["custom_id"] for row in result.response.components for c in row["components"]][1]
                    await owner.click(result.response.message, custom_id=down)
            scenes["stats"] = await owner.slash(channel, "stats")
            print(scenes["stats"].response.embeds[0].to_dict())
            ferry = parse_article(ROOT / "eval" / "ferry" / "articles" / "island-ferry.en.txt")
            base, stop = serve_pages({"/2026/03/ferry-strike": article_page(ferry)}, [""])  # a news site on 127.0.0.1
            try:
                scenes["article-add"] = await owner.slash(channel, "article add", url=f"{base}/2026/03/ferry-strike")
            finally:
                stop()
            print(scenes["article-add"].response.embeds[0].to_dict())
            for name, result in scenes.items():
                viewer = owner if name in ("stats", "article-add") else members[0]
                async with env.preview(channel, viewers=[viewer], layout="message", display="fixed") as preview:
                    await preview.show(result)
                    await photograph(chromium, preview.url, out / f"{name}.png")
        finally:
            await env.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if not args.chromium:
        raise SystemExit("no chromium found: `apt-get install chromium` (Debian), or pass --chromium PATH")
    asyncio.run(main(args.chromium, args.out))
