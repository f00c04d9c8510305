"""Follow-ups: a question that names no subject of its own is read with the conversation's previous question.

In a thread or a reply chain people ask "when does the ferry start?" and then "and how much does it
cost?": the second question only makes sense with the first. Read alone, "how much does it cost" is
about any article that mentions a price; read with the first, it is about the ferry. A question that
does name its own subject ("who is the union secretary?") is read alone: the earlier question would
only pull it towards the earlier answer.

The rule (``names_no_subject``), measured on the blind follow-up set ``eval/followups/`` by
``eval/followups.py``: a question leans on the previous one when it has at most ``BARE_WORDS`` content
words, none of them a word that the conversation's article lacks and another article holds ("and the
tram?" in a conversation about a ferry names a subject of its own). Rules that also looked for words
pointing back ("it", "ça", "and"...) read too many questions that do name their own subject ("and when
was the data centre opened?") with the previous one, and lost more than they won (docs/quality.md).
Read together, the follow-up leads: the previous question's vectors and words weigh ``PREVIOUS_WEIGHT``
beside its own.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from bot.retrieval.lexical import QueryTerm, question_words

#: The previous question's weight beside the follow-up's (its vectors, its query terms): measured by
#: ``eval/followups.py``; at 1 the earlier question pulls the answer back to the earlier answer.
PREVIOUS_WEIGHT = 0.25
#: A question with at most this many content words (words that are not stop words, in any of the languages
#: the bot reads) names no subject of its own: "why tho", "c'est quand", "how much does it cost".
BARE_WORDS = 2


def names_no_subject(question: str, elsewhere: Callable[[str], bool] | None = None) -> bool:
    """``question`` leans on an earlier one: it has at most ``BARE_WORDS`` content words, and none of them is
    ``elsewhere`` (a word the conversation's article lacks and another article holds: "and the tram?" in a
    conversation about a ferry names a subject of its own, however short)."""
    words = question_words(question)
    return len(words) <= BARE_WORDS and not (elsewhere is not None and any(elsewhere(w) for w in words))


def read_with(question: str, previous: str, elsewhere: Callable[[str], bool] | None = None) -> str | None:
    """The earlier question to read ``question`` with, when it names no subject of its own; else None."""
    return previous if previous.strip() and names_no_subject(question, elsewhere) else None


def mixed(vectors: np.ndarray) -> np.ndarray:
    """The first vector (the follow-up's) plus ``PREVIOUS_WEIGHT`` times the second (the previous question's),
    normalised; the first alone when there is no second."""
    if len(vectors) == 1:
        return vectors[0]
    v = vectors[0] + PREVIOUS_WEIGHT * vectors[1]
    return (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)


def with_previous(terms: list[QueryTerm], earlier: list[QueryTerm]) -> list[QueryTerm]:
    """The follow-up's query terms, and the previous question's at ``PREVIOUS_WEIGHT`` (a stem both have
    keeps its higher weight)."""
    best = {t.stem: t for t in terms}
    for t in earlier:
        weight = t.weight * PREVIOUS_WEIGHT
        if t.stem not in best or best[t.stem].weight < weight:
            best[t.stem] = QueryTerm(t.stem, weight, t.source)
    return sorted(best.values(), key=lambda t: (-t.weight, t.stem))
