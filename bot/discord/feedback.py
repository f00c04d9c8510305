"""👍 / 👎 feedback: persistent buttons and the SQLite store behind them.

The buttons are ``DynamicItem``s whose custom id carries the answer id, so they keep working after
a restart with no view to re-attach. Each answer the bot sends is recorded (question, article, and
the answer sentence's stable id ``<article>#<n>``, which does not move when other articles are
added); each vote is keyed by (answer, hashed user), so a second click changes the vote
instead of adding one. User ids are stored only as salted SHA-256 hashes. A database that cannot
be opened or written is logged once and the bot keeps answering.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import sqlite3
import time
import uuid
from pathlib import Path

import discord

from .i18n import label, lang_of

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, question TEXT NOT NULL, sentence_id TEXT, article TEXT,
    abstained INTEGER NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL, user_hash TEXT NOT NULL, vote INTEGER NOT NULL, article TEXT,
    question TEXT, voted_at REAL NOT NULL, PRIMARY KEY (answer_id, user_hash));
"""


class FeedbackStore:
    """SQLite file created on first use; every method opens its own short connection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._salt: str | None = None
        self._failed = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=2.0)
        conn.executescript(SCHEMA)
        return conn

    def _user_hash(self, conn: sqlite3.Connection, user_id: int) -> str:
        if self._salt is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            if row is None:
                salt = secrets.token_hex(16)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('salt', ?)", (salt,))
                row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            self._salt = row[0]
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()

    def _guard(self, what: str, func, default):
        try:
            result = func()
            self._failed = False
            return result
        except sqlite3.Error as err:
            if not self._failed:
                log.error("feedback database %s: cannot %s (%s); answers are still served", self.path, what, err)
            self._failed = True
            return default

    def record_answer(self, question: str, sentence_id: str | None, article: str | None, abstained: bool) -> str:
        """Store an answer the bot is about to send; returns its id (also when the store fails)."""
        answer_id = uuid.uuid4().hex[:16]

        def write() -> str:
            with self._connect() as conn:
                conn.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                              (answer_id, question, sentence_id, article, int(abstained), time.time()))
            return answer_id

        return self._guard("record an answer", write, answer_id)

    def vote(self, answer_id: str, user_id: int, up: bool) -> str | None:
        """Store or change a vote: returns ``new``, ``changed``, ``same``, or None on failure."""

        def write() -> str:
            with self._connect() as conn:
                user = self._user_hash(conn, user_id)
                row = conn.execute("SELECT article, question FROM answers WHERE id = ?", (answer_id,)).fetchone()
                article, question = row if row else (None, None)
                old = conn.execute("SELECT vote FROM votes WHERE answer_id = ? AND user_hash = ?",
                                   (answer_id, user)).fetchone()
                conn.execute(
                    "INSERT INTO votes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_hash) "
                    "DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                    (answer_id, user, 1 if up else -1, article, question, time.time()))
            if old is None:
                return "new"
            return "same" if old[0] == (1 if up else -1) else "changed"

        return self._guard("store a vote", write, None)

    def votes(self, answer_id: str) -> list[tuple[str, int]]:
        """(user hash, vote) rows of one answer."""
        def read() -> list[tuple[str, int]]:
            with self._connect() as conn:
                return conn.execute("SELECT user_hash, vote FROM votes WHERE answer_id = ? ORDER BY user_hash",
                                    (answer_id,)).fetchall()

        return self._guard("read votes", read, [])


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=r"fb:(?P<vote>up|down):(?P<answer>[0-9a-f]{16})"):
    """A 👍 or 👎 button bound to one answer by its custom id."""

    def __init__(self, vote: str, answer_id: str) -> None:
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary, emoji="👍" if vote == "up" else "👎",
            custom_id=f"fb:{vote}:{answer_id}"))
        self.vote, self.answer_id = vote, answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match) -> VoteButton:
        return cls(match["vote"], match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        store: FeedbackStore = interaction.client.feedback  # type: ignore[attr-defined]
        outcome = await asyncio.to_thread(store.vote, self.answer_id, interaction.user.id, self.vote == "up")
        lang = lang_of(interaction.locale)
        text = label(lang, "changed" if outcome == "changed" else "thanks")
        await interaction.response.send_message(text, ephemeral=True)


def feedback_view(answer_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton("up", answer_id))
    view.add_item(VoteButton("down", answer_id))
    return view
