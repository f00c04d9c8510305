"""What the engine answers: a passage, how sure it is (a tier and a calibrated confidence), the span;
and its summaries.

These are the values that cross from the engine to the CLI and the Discord layer; they know
nothing of how they were computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.confidence.tiers import Judgement, Tier
from bot.corpus.article import Sentence
from bot.retrieval.values import Evidence, Passage, Ranking


class Route(StrEnum):
    """How the articles an answer was searched in were chosen (the journal keeps it, ``/stats`` can show it)."""

    ASKED = "asked"                      # the article asked for (``article:``, ``--article``)
    CONVERSATION = "conversation"        # the article the conversation is about (its thread, the message it replies to)
    FALLBACK = "fallback"                # that article did not cover it: the other articles in scope
    DEFAULT = "default_article"          # the config's default_article
    ALL = "all"                          # every article in scope


@dataclass(frozen=True)
class Answer:
    """The engine's reply: the first passage (the answer, or the closest one) and the next ones.

    ``confidence`` is the calibrated probability that the first passage answers the question;
    ``coverage`` the probability that the article answers it at all. ``span`` marks the short
    answer inside the first passage's sentence (character offsets), when one was found.
    """

    question: str
    tier: Tier
    confidence: float
    passage: Passage | None
    others: tuple[Passage, ...] = ()
    article_title: str | None = None
    article_source: str | None = None
    coverage: float | None = None
    span: tuple[int, int] | None = None
    expected: str = "other"
    evidence: Evidence | None = None
    route: Route = Route.ALL
    conversation_article: str | None = None  # the conversation's (Route.CONVERSATION; FALLBACK: it did not cover it)
    read_with: str | None = None             # the earlier question a follow-up was read with
    alternative: Passage | None = None       # another article's best passage, nearly as close: offered beside it

    @property
    def abstained(self) -> bool:
        """Only "not covered" is an abstention; an unsure answer is still an answer."""
        return self.tier is Tier.NOT_COVERED

    @property
    def alternative_article(self) -> str | None:
        return self.alternative.sentence.article if self.alternative is not None else None

    @property
    def ranked(self) -> list[Passage]:
        return ([self.passage] if self.passage else []) + list(self.others)

    @property
    def span_text(self) -> str | None:
        if self.span is None or self.passage is None:
            return None
        return self.passage.sentence.text[self.span[0]:self.span[1]]

    @classmethod
    def of(cls, ranking: Ranking, judged: Judgement) -> Answer:
        """The answer a ranking makes once its tier is judged."""
        return cls(
            question=ranking.question, tier=judged.tier, confidence=round(judged.confidence, 3),
            passage=ranking.passages[0], others=ranking.passages[1:], article_title=ranking.article_title,
            article_source=ranking.article_source, coverage=round(judged.coverage, 3), span=ranking.span,
            expected=ranking.expected, evidence=ranking.evidence, read_with=ranking.read_with,
        )


class Chosen(StrEnum):
    """Why a summary is of the article it is of (the engine picks; the front ends say it)."""

    ASKED = "asked"                             # the one asked for (--article, article:)
    DEFAULT = "default_article"                 # the config's default_article
    ONLY = "only_article"                       # the one article in scope
    NEWEST = "most_recently_added"              # several: the one with the latest added_at
    FIRST = "first_by_id"                       # several, none with an added_at: the first in shown order


@dataclass(frozen=True)
class Summary:
    """An extractive summary: sentences in article order; ``chosen``: why this article, of ``among``
    articles in scope."""

    article: str
    title: str
    sentences: tuple[Sentence, ...]
    length: str
    focus: str | None
    chosen: Chosen = Chosen.ASKED
    among: int = 1

    @property
    def picked(self) -> bool:
        """Picked among several without being asked for: the front ends name it and say how to pick another."""
        return self.chosen in (Chosen.NEWEST, Chosen.FIRST)

