"""`article-bot run`: token only from the environment, never printed; `--check` prints the invite URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from bot.cli.main import main
from tests.support.waits import until

FAKE = "MTQ1NjA3NDQ0Mzk4MDgwMDAwMA.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"  # not a real token


@pytest.fixture
def no_token(monkeypatch, tmp_path):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env in the current folder


def test_run_without_token_is_one_clear_line_and_exit_2(project, no_token, capsys):
    assert main(["run", "--config", str(project.config_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "DISCORD_TOKEN is not set" in err and "Traceback" not in err


def test_malformed_token_is_refused_without_echoing_it(project, no_token, monkeypatch, capsys):
    secret = "not-a-token-but-secret-looking-value"
    monkeypatch.setenv("DISCORD_TOKEN", secret)
    assert main(["run", "--config", str(project.config_path)]) == 2
    out, err = capsys.readouterr()
    assert "does not look like a bot token" in err and secret not in out + err


def test_token_from_dotenv_file_is_found(project, no_token, capsys):
    (project.root / ".env").write_text(f"DISCORD_TOKEN={FAKE}\n", encoding="utf-8")
    assert main(["run", "--check", "--config", str(project.config_path)]) == 0
    out, err = capsys.readouterr()
    assert "DISCORD_TOKEN is set and well-formed" in out
    assert FAKE not in out + err and FAKE.split(".")[2] not in out + err


def test_check_prints_the_invite_url_with_minimal_permissions(project, no_token, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE)
    assert main(["run", "--check", "--config", str(project.config_path)]) == 0
    out, err = capsys.readouterr()
    url = re.search(r"https://\S+", out).group(0)
    query = parse_qs(urlparse(url).query)
    assert query["client_id"] == ["1456074443980800000"]  # from the token's first part
    assert set(query["scope"][0].split()) == {"bot", "applications.commands"}
    import discord

    perms = discord.Permissions(int(query["permissions"][0]))
    assert perms == discord.Permissions(view_channel=True, send_messages=True, embed_links=True,
                                        read_message_history=True, send_messages_in_threads=True)
    assert FAKE not in out + err


def test_check_without_token_uses_the_configured_application_id(project, no_token, capsys):
    text = project.config_path.read_text(encoding="utf-8") + "discord:\n  application_id: 1234567890123\n"
    project.config_path.write_text(text, encoding="utf-8")
    assert main(["run", "--check", "--config", str(project.config_path)]) == 0
    out, _ = capsys.readouterr()
    assert "client_id=1234567890123" in out and "DISCORD_TOKEN is not set" in out


@pytest.mark.parametrize("discord_section, key", [
    ("  dms: sometimes\n", "discord.dms"),
    ("  cooldown: {rate: 0, per: 10}\n", "discord.cooldown.rate"),
    ("  question_channels: [true]\n", "discord.question_channels"),
    ("  tokens: abc\n", "discord.tokens"),
])
def test_invalid_discord_config_names_the_key(project, no_token, capsys, discord_section, key):
    text = project.config_path.read_text(encoding="utf-8") + "discord:\n" + discord_section
    project.config_path.write_text(text, encoding="utf-8")
    assert main(["run", "--check", "--config", str(project.config_path)]) == 2
    err = capsys.readouterr().err
    assert key in err and str(project.config_path) in err


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
async def test_sigterm_and_sigint_close_the_bot(project, sig):
    import asyncio
    import os
    import signal

    from bot import create_bot
    from bot.discord.run import close_on_signals

    bot = create_bot(project.config_path, engine=object())  # not connected; the engine is not used
    close_on_signals(bot)
    loop = asyncio.get_running_loop()
    try:
        os.kill(os.getpid(), getattr(signal, sig))
        assert await until(bot.is_closed)
    finally:
        for s in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(s)
