"""`article-bot preview` as a process: it serves the page, stops cleanly, and says why when it cannot start.

These run wherever the test extras are installed (no browser needed); `test_preview_browser.py` drives the
page itself in Chromium. The preview runs the hashing encoders of a test project: the bot, not the models,
is what is shown.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from bot.cli.main import main
from tests.support.waits import GUARD_S

pytest.importorskip("PIL", reason="the preview extra (simcord[preview]) is not installed")


def start(project, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", "preview", "--config", str(project.config_path),
                             "--no-browser", *args], cwd=project.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_the_preview_serves_its_page_and_stops_on_ctrl_c(make_project, tmp_path):
    project = make_project()
    before = sorted(p.name for p in project.articles.iterdir())
    proc = start(project, "--port", "0", "--journal", str(tmp_path / "journal.sqlite3"))
    try:
        line = proc.stdout.readline()  # printed once the page is served
        url = re.search(r"http://127\.0\.0\.1:(\d+)/#(\S+)", line)
        assert url, line
        with urllib.request.urlopen(f"http://127.0.0.1:{url.group(1)}/", timeout=GUARD_S) as page:
            assert page.status == 200 and "text/html" in page.headers["Content-Type"]
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=GUARD_S)
    assert proc.returncode == 0, err
    assert out.endswith("article-bot preview: stopped\n"), out
    for noise in ("voice will NOT be supported", "Guilds intent seems to be disabled", "Traceback"):
        assert noise not in err, err
    assert sorted(p.name for p in project.articles.iterdir()) == before  # it worked on a copy


def test_a_port_in_use_is_one_line_and_exit_2(make_project):
    project = make_project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = start(project, "--port", str(port))
        out, err = proc.communicate(timeout=GUARD_S)
    assert proc.returncode == 2, (out, err)
    assert f"article-bot: error: 127.0.0.1:{port} cannot be used" in err and "--port 0" in err
    assert "Traceback" not in err


def test_a_port_out_of_range_is_refused(make_project, capsys):
    assert main(["preview", "--config", str(make_project().config_path), "--port", "70000", "--no-browser"]) == 2
    assert "--port must be from 0 to 65535, got 70000" in capsys.readouterr().err
