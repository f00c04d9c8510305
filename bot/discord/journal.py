"""The bot's journal: every question it was asked, what became of it, and the 👍/👎 on the answer.

One SQLite file (``discord.feedback_db``), read by ``/stats`` and by ``article-bot stats`` /
``export``, so a server's owner sees what went unanswered and which articles to add. What is kept
about a person is minimal: the question they addressed to the bot, the server, and a salted SHA-256
hash of their user id (the salt never leaves the file), for ``retention_days`` days; ``/forget-me``
deletes their rows at once. Nothing else a member writes is stored.

One connection for the process (SQLite serialises writers; a lock keeps threads from sharing a
cursor), the schema applied once when it opens. A database that cannot be opened or written is
logged once and the bot keeps answering: the journal is never in the way of an answer.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: What became of a question.
OUTCOMES = ("answer", "unsure", "not_covered", "error")
#: Old rows are deleted at most this often (seconds), when a question is recorded and when the bot starts.
PRUNE_EVERY = 3600.0
#: The windows ``/stats`` and ``article-bot stats`` report, in days.
WINDOWS = (1, 7, 30)
DAY = 86_400.0
#: How questions are grouped as "the same question": case, spaces and end punctuation aside.
SAME_QUESTION = "lower(trim(question, ' ?!.¿¡'))"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
    id TEXT PRIMARY KEY, asked_at REAL NOT NULL, guild_id INTEGER, user_hash TEXT, question TEXT NOT NULL,
    outcome TEXT NOT NULL, article TEXT, sentence_id TEXT, confidence REAL, latency_ms REAL, route TEXT);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
CREATE INDEX IF NOT EXISTS questions_user ON questions (user_hash);
CREATE INDEX IF NOT EXISTS questions_outcome ON questions (outcome);
CREATE TABLE IF NOT EXISTS ratings (
    question_id TEXT NOT NULL, user_hash TEXT NOT NULL, vote INTEGER NOT NULL, voted_at REAL NOT NULL,
    PRIMARY KEY (question_id, user_hash));
CREATE INDEX IF NOT EXISTS ratings_user ON ratings (user_hash);
"""

#: Which rule chose the articles a question was answered from (``route``, added to older journals when they
#: open): ``asked`` (article:), ``thread`` / ``reply`` (the article of the thread or of the message replied
#: to), ``thread_fallback`` / ``reply_fallback`` (that article did not cover it: the other articles),
#: ``alternative`` (re-asked in another article from the answer's button), ``default_article``, ``all``.
ROUTE_COLUMN = "ALTER TABLE questions ADD COLUMN route TEXT"

#: Before the journal, answers and votes lived in ``answers`` / ``votes``: moved over once.
MIGRATE = """
INSERT OR IGNORE INTO questions (id, asked_at, question, outcome, article, sentence_id)
    SELECT id, created_at, question, CASE WHEN abstained THEN 'not_covered' ELSE 'answer' END, article,
           CAST(sentence_id AS TEXT) FROM answers;
INSERT OR IGNORE INTO ratings SELECT answer_id, user_hash, vote, voted_at FROM votes;
DROP TABLE answers;
DROP TABLE votes;
"""


@dataclass(frozen=True)
class Window:
    """Questions over the last ``days`` days, by outcome."""

    days: int
    total: int
    outcomes: dict[str, int]

    @property
    def not_covered_share(self) -> float | None:
        return round(self.outcomes.get("not_covered", 0) / self.total, 3) if self.total else None


@dataclass(frozen=True)
class Rated:
    """An answer people voted on: its question, article and sentence, and the votes."""

    question: str
    article: str | None
    sentence_id: str | None
    up: int
    down: int


@dataclass(frozen=True)
class Stats:
    windows: list[Window]
    unanswered: list[tuple[str, int]] = field(default_factory=list)  # (question, times) not covered, most first
    worst: list[Rated] = field(default_factory=list)                 # most 👎 net of 👍 first
    all_time: int = 0

    def to_json(self) -> dict:
        return {
            "windows": [{"days": w.days, "total": w.total, "outcomes": w.outcomes,
                         "not_covered_share": w.not_covered_share} for w in self.windows],
            "unanswered": [{"question": q, "times": n} for q, n in self.unanswered],
            "worst": [r.__dict__ for r in self.worst],
            "all_time": self.all_time,
        }


EXPORTS = {
    "questions": ("SELECT id, datetime(asked_at, 'unixepoch') AS asked_at, guild_id, user_hash, question, outcome, "
                  "article, sentence_id, confidence, latency_ms, route FROM questions ORDER BY asked_at"),
    "unanswered": (f"SELECT {SAME_QUESTION} AS question, count(*) AS times, "
                   "datetime(max(asked_at), 'unixepoch') AS last_asked FROM questions "
                   f"WHERE outcome = 'not_covered' GROUP BY {SAME_QUESTION} ORDER BY times DESC, last_asked DESC"),
    "feedback": ("SELECT q.id AS question_id, datetime(r.voted_at, 'unixepoch') AS voted_at, r.vote, q.question, "
                 "q.outcome, q.article, q.sentence_id FROM ratings r JOIN questions q ON q.id = r.question_id "
                 "ORDER BY r.voted_at"),
}


class Journal:
    """Questions and ratings in one SQLite file; every method is safe to call from worker threads."""

    def __init__(self, path: Path, retention_days: int | None = None, clock: Callable[[], float] = time.time,
                 *, memory: bool = False) -> None:
        """``memory``: an empty journal held in memory, nothing written to ``path`` (reading a journal that
        does not exist yet: its statistics and exports are the empty ones, and no file is left behind)."""
        self.path = Path(path)
        self.memory = memory
        self.retention_days = retention_days
        self.clock = clock
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._salt: str | None = None
        self._failed = False
        self._pruned_at: float | None = None

    # ----- the connection ---------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            if not self.memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(":memory:" if self.memory else self.path, timeout=5.0, check_same_thread=False,
                                   isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)
            old = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if {"answers", "votes"} <= old:
                conn.executescript("BEGIN;" + MIGRATE + "COMMIT;")
            if "route" not in {r[1] for r in conn.execute("PRAGMA table_info(questions)")}:
                conn.execute(ROUTE_COLUMN)
            self._conn = conn
        return self._conn

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        """Close the connection (caller holds the lock): the next call reopens the file, reads its salt."""
        if self._conn is not None:
            try:
                if self._conn.in_transaction:
                    self._conn.rollback()
            except sqlite3.Error:
                pass
            self._conn.close()
            self._conn = None
        self._salt = None

    def _guard(self, what: str, func: Callable[[sqlite3.Connection], T], default: T) -> T:
        """Run ``func(conn)`` under the lock; a database error is logged once and ``default`` returned.

        On an error the transaction is rolled back and the connection closed before the lock is let go,
        so no other thread's write can land in a transaction that is about to be thrown away."""
        with self._lock:
            try:
                result = func(self._db())
            except sqlite3.Error as err:
                if not self._failed:
                    log.error("journal %s: cannot %s (%s); answers are still served", self.path, what, err)
                self._failed = True
                self._drop()
                return default
        self._failed = False
        return result

    def user_hash(self, conn: sqlite3.Connection, user_id: int) -> str:
        if self._salt is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            if row is None:
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('salt', ?)", (secrets.token_hex(16),))
                row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            self._salt = row[0]
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()

    # ----- writing ----------------------------------------------------------------------------
    def record(self, question: str, outcome: str, *, article: str | None = None, sentence_id: str | None = None,
               confidence: float | None = None, latency_ms: float | None = None, guild_id: int | None = None,
               user_id: int | None = None, route: str | None = None, asker_of: str | None = None) -> str:
        """Store one question and what became of it; returns its id (also when the store fails). ``asker_of``:
        the id of an earlier question this one repeats (a re-ask from a button): recorded as that question's
        asker's, so their /forget-me deletes it, and not as the clicker's; nothing is stored when that question
        is gone."""
        qid = uuid.uuid4().hex[:16]

        def write(conn: sqlite3.Connection) -> str:
            if asker_of is not None:
                row = conn.execute("SELECT user_hash FROM questions WHERE id = ?", (asker_of,)).fetchone()
                if row is None:  # its asker deleted it (/forget-me) meanwhile: their question is not kept again
                    return qid
                user = row[0]
            else:
                user = self.user_hash(conn, user_id) if user_id is not None else None
            conn.execute("INSERT INTO questions (id, asked_at, guild_id, user_hash, question, outcome, article, "
                         "sentence_id, confidence, latency_ms, route) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (qid, self.clock(), guild_id, user, question, outcome, article, sentence_id,
                          confidence, None if latency_ms is None else round(latency_ms, 1), route))
            return qid

        qid = self._guard("record a question", write, qid)
        if self._pruned_at is None or self.clock() - self._pruned_at >= PRUNE_EVERY:
            self.prune()
        return qid

    def vote(self, question_id: str, user_id: int, up: bool) -> str | None:
        """Store or change a vote: ``new``, ``changed``, ``same``, or None on failure."""

        def write(conn: sqlite3.Connection) -> str:
            user = self.user_hash(conn, user_id)
            old = conn.execute("SELECT vote FROM ratings WHERE question_id = ? AND user_hash = ?",
                               (question_id, user)).fetchone()
            conn.execute("INSERT INTO ratings VALUES (?, ?, ?, ?) ON CONFLICT (question_id, user_hash) "
                         "DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                         (question_id, user, 1 if up else -1, self.clock()))
            if old is None:
                return "new"
            return "same" if old[0] == (1 if up else -1) else "changed"

        return self._guard("store a vote", write, None)

    def asked(self, question_id: str) -> tuple[str, str | None] | None:
        """The question recorded as ``question_id`` and the article it was answered from (None: none, or the
        row is gone: past retention, deleted by /forget-me, or the journal cannot be read)."""
        row = self._guard("read a question", lambda c: c.execute(
            "SELECT question, article FROM questions WHERE id = ?", (question_id,)).fetchone(), None)
        return (row[0], row[1]) if row else None

    def votes(self, question_id: str) -> list[tuple[str, int]]:
        return self._guard("read votes", lambda c: c.execute(
            "SELECT user_hash, vote FROM ratings WHERE question_id = ? ORDER BY user_hash", (question_id,)).fetchall(),
            [])

    def forget(self, user_id: int) -> tuple[int, int] | None:
        """Delete every question and vote of ``user_id``: (questions, votes) deleted, None on failure."""

        def delete(conn: sqlite3.Connection) -> tuple[int, int]:
            user = self.user_hash(conn, user_id)
            conn.execute("BEGIN")
            votes = conn.execute("DELETE FROM ratings WHERE user_hash = ?", (user,)).rowcount
            # Others' votes on their answers go too: they would point at questions that no longer exist.
            conn.execute("DELETE FROM ratings WHERE question_id IN (SELECT id FROM questions WHERE user_hash = ?)",
                         (user,))
            questions = conn.execute("DELETE FROM questions WHERE user_hash = ?", (user,)).rowcount
            conn.execute("COMMIT")
            return questions, votes

        return self._guard("forget a user", delete, None)

    def prune(self) -> int:
        """Delete questions (and their votes) older than ``retention_days``; how many questions went."""
        self._pruned_at = self.clock()
        if not self.retention_days:
            return 0
        cutoff = self.clock() - self.retention_days * DAY

        def delete(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN")
            conn.execute("DELETE FROM ratings WHERE voted_at < ? OR question_id IN "
                         "(SELECT id FROM questions WHERE asked_at < ?)", (cutoff, cutoff))
            n = conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
            conn.execute("COMMIT")
            return n

        n = self._guard("delete old questions", delete, 0)
        if n:
            log.info("journal: deleted %d question(s) older than %d days", n, self.retention_days)
        return n

    def outcome_totals(self) -> dict[str, int] | None:
        """Questions in the journal by outcome, all time (within the retention period)."""
        return self._guard("count questions", lambda c: dict(c.execute(
            "SELECT outcome, count(*) FROM questions GROUP BY outcome").fetchall()), None)

    def get_meta(self, key: str) -> str | None:
        row = self._guard("read a setting", lambda c: c.execute("SELECT value FROM meta WHERE key = ?",
                                                                 (key,)).fetchone(), None)
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._guard("write a setting", lambda c: c.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) "
                                                            "DO UPDATE SET value = excluded.value", (key, value)), None)

    # ----- reading ----------------------------------------------------------------------------
    @staticmethod
    def _window(conn: sqlite3.Connection, days: int, now: float, where: str, args: tuple) -> Window:
        rows = conn.execute(f"SELECT outcome, count(*) FROM questions WHERE asked_at >= ? {where} "
                            "GROUP BY outcome", (now - days * DAY, *args)).fetchall()
        outcomes = {o: 0 for o in OUTCOMES} | dict(rows)
        return Window(days, sum(outcomes.values()), outcomes)

    def stats(self, guild_id: int | None = None, top: int = 5, days_list: tuple[int, ...] | None = None
              ) -> Stats | None:
        """Questions and outcomes over 1, 7 and 30 days, the most asked unanswered questions, the worst-rated
        answers (within 30 days); ``guild_id`` limits it to one server. None when the database fails."""
        now = self.clock()
        where, args = ("AND guild_id = ?", (guild_id,)) if guild_id is not None else ("", ())

        def read(conn: sqlite3.Connection) -> Stats:
            windows = [self._window(conn, d, now, where, args) for d in (days_list or WINDOWS)]
            since = now - max(days_list or WINDOWS) * DAY
            unanswered = conn.execute(
                f"SELECT {SAME_QUESTION}, count(*) AS n FROM questions WHERE outcome = 'not_covered' "
                f"AND asked_at >= ? {where} GROUP BY {SAME_QUESTION} ORDER BY n DESC, max(asked_at) DESC "
                "LIMIT ?", (since, *args, top)).fetchall()
            in_guild = where.replace("guild_id", "q.guild_id")
            worst = conn.execute(
                f"SELECT q.question, q.article, q.sentence_id, sum(r.vote > 0), sum(r.vote < 0) FROM ratings r "
                f"JOIN questions q ON q.id = r.question_id WHERE q.asked_at >= ? {in_guild} "
                "GROUP BY coalesce(q.sentence_id, q.id) HAVING sum(r.vote < 0) > 0 "  # one line per quoted sentence
                "ORDER BY sum(r.vote) ASC, sum(r.vote < 0) DESC LIMIT ?",
                (since, *args, top)).fetchall()
            total = conn.execute(f"SELECT count(*) FROM questions WHERE 1 {where}", args).fetchone()[0]
            return Stats(windows, [(q, n) for q, n in unanswered], [Rated(*r) for r in worst], total)

        return self._guard("read statistics", read, None)

    def export(self, kind: str, path: Path | TextIO) -> int | None:
        """Write ``questions``, ``unanswered`` or ``feedback`` as CSV with a header to ``path`` (a file, or an
        open text stream); rows written (None when the database cannot be read). Text that a spreadsheet
        would run as a formula (``=…``, ``+…``, ``-…``, ``@…``) is written with a leading ``'``: members'
        questions are not the owner's formulas."""

        def read(conn: sqlite3.Connection):
            cursor = conn.execute(EXPORTS[kind])
            return [d[0] for d in cursor.description], cursor.fetchall()

        table = self._guard(f"export {kind}", read, None)
        if table is None:
            return None
        header, rows = table

        def write(fh: TextIO) -> None:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([[_cell(v) for v in row] for row in rows])

        if isinstance(path, (str, Path)):
            with Path(path).open("w", newline="", encoding="utf-8") as fh:
                write(fh)
        else:
            write(path)
        return len(rows)


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
