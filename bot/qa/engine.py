"""Engine: the one object the CLI and the Discord bot call (ask, summary, info, reload).

It knows nothing about Discord. Loading reads ``articles/``, loads the saved index when it matches
(articles, encoders, format) and rebuilds it otherwise, with one log line saying why. When the
index folder cannot be written, the engine keeps the in-memory build and logs a warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import moment
from bot.confidence.model import Calibration, calibration_key, describe, load_calibration
from bot.confidence.tiers import Tier, judge
from bot.config import Config
from bot.errors import InputError
from bot.index.maintenance import ensure_index, load_encoders, lock
from bot.index.records import ArticleInfo, ordered
from bot.index.sentence_index import SentenceIndex
from bot.library.store import Upload
from bot.library.store import add as library_add
from bot.library.store import remove as library_remove
from bot.qa.answer import Answer, Chosen, Route, Summary
from bot.reader.read import load_reader
from bot.retrieval.followup import read_with
from bot.retrieval.rank import Retriever

if TYPE_CHECKING:  # annotations only
    from bot.library.feeds import PollReport

log = logging.getLogger(__name__)

#: Another article's best passage this close to the first (fused score) is offered beside the answer: "two
#: articles fit". Measured on the dev sets in one library by ``eval/alternatives.py``.
ALTERNATIVE_MARGIN = 0.01

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def clean_question(question: str, max_chars: int) -> str:
    """Strip control and invisible characters; refuse empty questions and those over ``max_chars``
    characters (exactly ``max_chars`` is accepted, and the message says "at most")."""
    if not isinstance(question, str):
        raise InputError("the question must be text")
    text = " ".join(_CONTROL.sub(" ", question).split())
    if not text:
        raise InputError("the question is empty: type a question about the article")
    if len(text) > max_chars:
        raise InputError(f"the question is {len(text):,} characters long; ask it in at most {max_chars:,} "
                         "characters")
    return text


@dataclass(frozen=True)
class Scope:
    """The articles one audience sees: the shared ones and those of ``server`` (its owner string; None:
    shared only, as in a direct message). The engine knows owners as plain strings, not Discord."""

    server: str | None

    def sees(self, article: ArticleInfo) -> bool:
        return article.server is None or article.server == self.server


@dataclass(frozen=True)
class Conversation:
    """Where a question was asked, as far as answering it goes (the engine knows nothing of Discord): the
    article the conversation is about (the one its thread, or the message it replies to, is about) and
    the conversation's previous question, which a follow-up that names no subject of its own is read with
    (``bot/retrieval/followup.py``)."""

    article: str | None = None
    previous: str | None = None
    # False: the article is only that of the last answer in a thread of its own (no starter message of the
    # bot's): it holds for a follow-up that leans on the previous question, not for a question with a subject.
    anchored: bool = True


@dataclass(frozen=True)
class Serving:
    """What one question is answered from, swapped in as one value: the index, its retriever, the fit."""

    index: SentenceIndex
    retriever: Retriever
    calibration: Calibration


def answer(serving: Serving, question: str, k: int = 3, article: str | None = None,
           scope: frozenset[str] | None = None, previous: str | None = None) -> Answer:
    """Rank (``Retriever.rank``), then judge how sure to be (``confidence.tiers.judge``): the answer.
    Another article's best passage within ``ALTERNATIVE_MARGIN`` of the first is offered beside it."""
    ranking = serving.retriever.rank(question, k=k, article=article, scope=scope, previous=previous)
    cfg = serving.retriever.cfg
    found = Answer.of(ranking, judge(serving.calibration, ranking.evidence, cfg.abstain_threshold,
                                     cfg.answer_threshold))
    other = ranking.runner_up
    if found.abstained or other is None or ranking.passages[0].score - other.score > ALTERNATIVE_MARGIN:
        return found
    return dataclasses.replace(found, alternative=other)


class Engine:
    """Question answering and summaries over the configured articles."""

    def __init__(self, config: Config, force_rebuild: bool = False) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._encoders = load_encoders(config)
        self._reader = load_reader(config)
        self._state = self._load(force_rebuild)

    def _load(self, force: bool) -> Serving:
        start = time.perf_counter()
        index = ensure_index(self.config, self._encoders, force=force)
        state = self._serve(index)
        log.debug("engine ready in %.2f s (%d sentences)", time.perf_counter() - start, len(index.rows))
        return state

    def _serve(self, index: SentenceIndex) -> Serving:
        """A retriever over ``index`` with the loaded encoders, and their calibration."""
        dense, topic = self._encoders["dense"], self._encoders.get("topic")
        key = calibration_key(dense.id, topic.id if topic else None, self._reader.id if self._reader else None)
        calibration = load_calibration(key, self.config.index_dir)
        return Serving(index, Retriever(index, dense, topic, self.config.retrieval, self._reader), calibration)

    def _swap(self, index: SentenceIndex) -> None:
        """Serve ``index`` from now on: one assignment, so a question asked meanwhile is answered
        whole from the previous index or whole from this one."""
        state = self._serve(index)
        with self._lock:
            self._state = state

    @property
    def index(self) -> SentenceIndex:
        return self._state.index

    @property
    def retriever(self) -> Retriever:
        return self._state.retriever

    @property
    def calibration(self) -> Calibration:
        return self._state.calibration

    @property
    def encoder_key(self) -> str:
        """What the confidence is calibrated for: the encoder pair, and the reader when one reads."""
        r = self.retriever
        return calibration_key(r.dense.id, r.topic.id if r.topic else None, r.reader.id if r.reader else None)

    def reload(self) -> None:
        """Re-read the articles, rebuild what is stale, then swap in one assignment."""
        with lock(self.config):
            self._swap(ensure_index(self.config, self._encoders))

    # ----- the library: changes are indexed with the loaded encoders, then swapped in ------------
    # Every swap happens under the library lock, right after the change it serves: swaps are in the
    # order of the changes, so an older index never replaces a newer one (a reload, an add and a feed
    # poll running at once, from different threads).
    def add(self, source: str | Upload, art_id: str | None = None, server: str | None = None,
            url_only: bool = False) -> ArticleInfo:
        """Add an article (URL, file or upload) for ``server`` (None: shared) and serve it (``library.add``).

        For a server, an id made from a title that is taken gets ``-2``, ``-3``...; ``url_only``: only
        an http(s) URL (what comes from Discord)."""
        index, new_id = library_add(self.config, source, art_id, encoders=self._encoders, server=server,
                                    url_only=url_only, unique=server is not None, on_index=self._swap)
        return index.article(new_id)

    def remove(self, art_id: str, server: str | None = None) -> None:
        """Remove an article; with ``server``, only one of that server's own (``library.remove``)."""
        with lock(self.config):
            self._swap(library_remove(self.config, art_id, encoders=self._encoders, server=server))

    def poll_feeds(self, now: float | None = None, due_only: bool = False) -> PollReport:
        """Poll the configured feeds (``bot/library/feeds/``), serve what they added; returns the poll's report."""
        from bot.library.feeds import poll  # feedparser: only when a feed is polled

        return poll(self.config, encoders=self._encoders, now=now, due_only=due_only, on_index=self._swap)

    # ----- scope: which articles a question may be answered from ------------------------------
    # A ``Scope(server)`` sees the shared articles and that server's own; ``Scope(None)`` (a direct
    # message) the shared ones only. The CLI passes no scope: it sees them all.
    def articles(self, scope: Scope | None = None, index: SentenceIndex | None = None) -> list[ArticleInfo]:
        """The indexed articles ``scope`` sees, in the order they are shown (``records.order_key``: by id)."""
        index = index or self.index
        return ordered(a for a in index.articles if scope is None or scope.sees(a))

    def article_ids(self, scope: Scope | None = None, index: SentenceIndex | None = None) -> list[str]:
        """The ids of :meth:`articles`, in the same order."""
        return [a.id for a in self.articles(scope, index)]

    def resolve_article(self, article: str | None, scope: Scope | None = None,
                        index: SentenceIndex | None = None) -> str | None:
        """The article to search: the one asked for, else the configured default, else all (None).
        An article outside ``scope`` is unknown; a default outside it is ignored."""
        ids = self.article_ids(scope, index)
        if article is None:
            article = self.config.default_article
            if article is None or (scope is not None and article not in ids):
                return None
        if article not in ids:
            raise InputError(f"unknown article {article!r}; known articles: {', '.join(ids) or 'none'}")
        return article

    def ask(self, question: str, k: int = 3, article: str | None = None, scope: Scope | None = None,
            conversation: Conversation | None = None) -> Answer:
        """Answer ``question`` from the article(s) ``scope`` sees (None: all).

        Which articles, in this order: the one asked for (``article``); else the conversation's article,
        when ``scope`` sees it, and when that article does not cover the question, or only hedges while
        another answers it plainly, the other articles (``Route.FALLBACK``, naming the conversation's
        article; measured by ``eval/threads.py``: a question about another article asked in a thread is
        answered right 0.28 → 0.46, one about the thread's own 0.714 → 0.709); else ``default_article``; else every
        article in scope. A follow-up that names no subject of its own is read with the conversation's
        previous question (``bot/retrieval/followup.py``). What is visible is read from the same index
        the answer comes from."""
        text = clean_question(question, self.config.retrieval.max_question_chars)
        if not 1 <= k <= 10:
            raise InputError(f"k must be between 1 and 10, got {k}")
        state = self._state
        index = state.index
        one = self.resolve_article(article, scope, index)
        ids = self._visible(scope, index) if scope is not None else self.article_ids(None, index)
        mine = conversation.article if conversation is not None and conversation.article in ids else None
        previous = None
        if conversation is not None and conversation.previous:
            previous = read_with(text, conversation.previous, self._elsewhere(state, mine) if mine else None)
        if article is not None:
            return self._routed(answer(state, text, k, one, previous=previous), Route.ASKED)
        if mine is not None and not conversation.anchored and previous is None:
            mine = None  # a question with a subject of its own, in a thread of its own: asked afresh
        if mine is not None:
            found = dataclasses.replace(answer(state, text, k, mine, previous=previous), conversation_article=mine)
            rest = frozenset(ids) - {mine}
            if not rest or found.tier is Tier.ANSWER:
                return self._routed(found, Route.CONVERSATION)
            other = answer(state, text, k, scope=rest, previous=previous)
            if other.abstained or (not found.abstained and other.tier is not Tier.ANSWER):
                return self._routed(found, Route.CONVERSATION)
            return dataclasses.replace(self._routed(other, Route.FALLBACK), conversation_article=mine)
        if one is not None:
            return self._routed(answer(state, text, k, one, previous=previous), Route.DEFAULT)
        visible = frozenset(ids) if scope is not None and len(ids) < len(index.articles) else None
        return self._routed(answer(state, text, k, scope=visible, previous=previous), Route.ALL)

    @staticmethod
    def _elsewhere(state: Serving, article: str) -> Callable[[str], bool]:
        """Whether a question word is another article's and not ``article``'s: it names a subject of its own."""
        r = state.retriever
        return lambda w: r.lexical.has_word(w) and not r.article_words.exact(article, w)

    @staticmethod
    def _routed(found: Answer, route: Route) -> Answer:
        """``found`` with how its articles were chosen; an article asked for offers no other."""
        alternative = found.alternative if route in (Route.ALL, Route.FALLBACK) else None
        return dataclasses.replace(found, route=route, alternative=alternative)

    def _visible(self, scope: Scope | None, index: SentenceIndex) -> list[str]:
        """``article_ids``, refused with a message when ``scope`` sees no article at all."""
        ids = self.article_ids(scope, index)
        if not ids:
            raise InputError("no article is available here yet: a moderator can add one with /article add")
        return ids

    def summary(self, length: str = "medium", focus: str | None = None, article: str | None = None,
                scope: Scope | None = None) -> Summary:
        """Extractive summary of one article: see :meth:`summary_article` for which, and the summary says why."""
        from bot.qa.summarize import summarize

        index, retriever = self._state.index, self._state.retriever
        art_id, chosen, among = self.summary_article(article, scope, index)
        if focus is not None:
            focus = clean_question(focus, self.config.retrieval.max_question_chars)
        art = index.article(art_id)
        sentences = summarize(retriever, art_id, length=length, focus=focus, cfg=self.config.summary)
        return Summary(art_id, art.title, tuple(sentences), length, focus, chosen, among)

    def summary_article(self, article: str | None, scope: Scope | None = None,
                        index: SentenceIndex | None = None) -> tuple[str, Chosen, int]:
        """The article a summary is of, why, and of how many in ``scope``: the one asked for, else the
        configured default, else the only one, else the most recently added (``added_at``; one without
        counts as the oldest), the first in shown order (by id) among equals."""
        index = index or self._state.index
        visible = self.articles(scope, index)
        one = self.resolve_article(article, scope, index)
        if one is not None:
            return one, Chosen.ASKED if article is not None else Chosen.DEFAULT, len(visible)
        self._visible(scope, index)  # none at all: refused with a message
        if len(visible) == 1:
            return visible[0].id, Chosen.ONLY, 1
        oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
        newest = max(visible, key=lambda a: moment(a.added_at) or oldest)  # max keeps the first of equals
        return newest.id, Chosen.NEWEST if moment(newest.added_at) else Chosen.FIRST, len(visible)

    def info(self) -> dict:
        """Articles and the index manifest."""
        index = self.index
        return {
            "articles": [a.to_json() for a in self.articles(index=index)],
            "index_dir": str(self.config.index_dir),
            "manifest": {k: v for k, v in index.manifest.items() if k != "files"},
            "calibration": describe(self.calibration, self.encoder_key),
            "reader": None if self._reader is None else {
                "id": self._reader.id, "k": self.config.retrieval.reader.k, "layers": self._reader.manifest["layers"],
                "trained_on": self._reader.manifest.get("trained_on")},
        }
