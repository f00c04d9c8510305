"""`article-bot run`: token only from the environment, never printed; `--check` prints the invite URL."""

from __future__ import annotations

import re
import socket
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
    assert main(["run", "--check", "--config", str(project.config_path)]) == 2  # `run` would not start
    out, err = capsys.readouterr()
    assert "client_id=1234567890123" in out and "DISCORD_TOKEN is not set" not in out
    assert err.startswith("article-bot: error: DISCORD_TOKEN is not set") and err.count("\n") == 1


def test_check_exits_2_without_a_token_after_printing_what_it_checked(project, no_token, capsys):
    assert main(["run", "--check", "--config", str(project.config_path)]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("article tram.en: Will Halverton finally get its tram? [en, ")
    assert lines[1].startswith(f"index: {project.index} (10 sentences, built ")
    assert lines[-1].startswith("invite URL: set discord.application_id")
    assert err == ("article-bot: error: DISCORD_TOKEN is not set: copy the bot token from the Discord developer "
                   "portal (your application → Bot → Reset Token) and run `export DISCORD_TOKEN=...` or put "
                   "DISCORD_TOKEN=... in a .env file\n")


def test_check_exits_2_on_a_malformed_token_without_echoing_it(project, no_token, monkeypatch, capsys):
    secret = "not-a-token-but-secret-looking-value"
    monkeypatch.setenv("DISCORD_TOKEN", secret)
    assert main(["run", "--check", "--config", str(project.config_path)]) == 2
    out, err = capsys.readouterr()
    assert "article tram.en:" in out
    assert err.startswith("article-bot: error: DISCORD_TOKEN does not look like a bot token (36 characters")
    assert secret not in out + err


def test_check_exits_0_with_a_well_formed_token(project, no_token, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", f"Bot {FAKE}")  # no network: --check never sends it anywhere
    assert main(["run", "--check", "--config", str(project.config_path)]) == 0
    out, err = capsys.readouterr()
    assert "token: DISCORD_TOKEN is set and well-formed" in out and err == ""
    assert FAKE not in out + err and FAKE.split(".")[0] not in out + err


def test_check_exits_2_when_the_metrics_port_is_taken(project, no_token, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        text = project.config_path.read_text(encoding="utf-8") + f"metrics: {{enabled: true, port: {port}}}\n"
        project.config_path.write_text(text, encoding="utf-8")
        assert main(["run", "--check", "--config", str(project.config_path)]) == 2
    out, err = capsys.readouterr()
    assert "token: DISCORD_TOKEN is set and well-formed" in out
    assert err.startswith(f"article-bot: error: metrics.port: cannot serve metrics on 127.0.0.1:{port} (")
    assert main(["run", "--check", "--config", str(project.config_path)]) == 0  # let go: free again
    assert f"metrics: 127.0.0.1:{port} is free" in capsys.readouterr().out


def test_check_notes_that_question_channels_need_message_content(project, no_token, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE)
    text = project.config_path.read_text(encoding="utf-8") + "discord:\n  question_channels: [questions]\n"
    project.config_path.write_text(text, encoding="utf-8")
    assert main(["run", "--check", "--config", str(project.config_path)]) == 0
    assert "note: discord.question_channels needs the Message Content intent" in capsys.readouterr().out


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
