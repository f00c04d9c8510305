"""What the engine answers: a passage, how sure it is (a tier and a calibrated confidence), the span.

These are the values that cross from the engine to the CLI and the Discord layer; they know
nothing of how they were computed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .ingest import Sentence


class Tier(enum.StrEnum):
    """How the answer is shown: quoted, quoted with a hedge, or "not covered by the article"."""

    ANSWER = "answer"
    UNSURE = "unsure"
    NOT_COVERED = "not_covered"


@dataclass(frozen=True)
class Passage:
    """A quoted sentence with the sentences around it and where it stands."""

    sentence: Sentence
    before: tuple[Sentence, ...]
    after: tuple[Sentence, ...]
    score: float

    @property
    def position(self) -> str:
        return f"§{self.sentence.paragraph} · sentence {self.sentence.number}"


@dataclass(frozen=True)
class Evidence:
    """What the engine knew about its first passage: the inputs of the confidence models.

    Coverage signals are judged against the article the first passage comes from, never against
    the whole corpus. ``None`` means the signal is not available (no topic encoder).
    """

    topic_max: float | None      # best USE cosine of the question with a sentence of that article
    dense_top: float             # contextual dense cosine of the first passage
    grounding_min: float | None  # the least-grounded content word of the question in that article
    grounding_mean: float | None
    passage_min: float | None    # the least-found question word in the first passage's sentence itself
    passage_mean: float | None
    margin: float                # fused score of the first passage minus the second's
    lexical_top: float           # damped BM25 of the first passage, in [0, 1)
    agree: float                 # 1.0 when the dense and the lexical rankings put the same passage first
    type_expected: float         # 1.0 when the question asks for a kind (a date, an amount, a name…)
    type_missing: float          # 1.0 when it does and none of the first three passages holds one
    type_top: float              # 1.0 when it does and the first passage holds one
    type_subject_missing: float  # 1.0 when it does and no passage holds one beside the question's subject
    unknown_names: float         # names in the question that the article does not contain
    # The reader's evidence (bot/reader/), None when no reader ran: its score of the first passage
    # (best answer span there minus "no answer"), that score minus the reader's score of the second
    # passage of the final order (negative when the ranking's weight kept a lower-scored one first),
    # and whether the reader kept the ranking's own first passage first.
    reader_top: float | None = None
    reader_margin: float | None = None
    reader_agree: float | None = None

    def features(self) -> dict[str, float | None]:
        return dict(self.__dict__)


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

    @property
    def abstained(self) -> bool:
        """Only "not covered" is an abstention; an unsure answer is still an answer."""
        return self.tier is Tier.NOT_COVERED

    @property
    def ranked(self) -> list[Passage]:
        return ([self.passage] if self.passage else []) + list(self.others)

    @property
    def span_text(self) -> str | None:
        if self.span is None or self.passage is None:
            return None
        return self.passage.sentence.text[self.span[0]:self.span[1]]
