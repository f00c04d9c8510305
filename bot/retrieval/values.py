"""What the retrieval stage hands on: the ranked passages and the evidence about the first.

:class:`Ranking` goes to the confidence stage (``bot/confidence/``), which reads its
:class:`Evidence`, and into the engine's :class:`~bot.qa.answer.Answer`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.corpus.article import Sentence


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
    # log(1 + articles searched): in a library of many articles one is always about the question's topic,
    # so the same topical evidence says less about coverage (the fit learns how much less). None: unknown.
    library: float | None = None
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
class Ranking:
    """The retriever's result for one question: the passages best first (at least one), the evidence
    about the first, and the short answer inside its sentence (character offsets), when one was found."""

    question: str
    passages: tuple[Passage, ...]
    evidence: Evidence
    span: tuple[int, int] | None
    expected: str                   # the kind of answer the question asks for (``kinds.Kind``)
    article_title: str | None
    article_source: str | None
    runner_up: Passage | None = None  # the best passage of another article than the first's, when one was scored
    read_with: str | None = None      # the earlier question this one was read with (a follow-up), if any
