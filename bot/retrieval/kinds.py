"""Answer kinds: what kind of answer a question wants, and where that kind sits in a sentence.

What it knows:

- ``expected_kind`` reads casual questions in English, French, Spanish and German (lowercase, no
  accents, chat spellings such as "wen", "cb", "pk", "xq") by question phrase. The phrase that
  starts first wins ("who will bear the cost" is PERSON); at the same place the more specific
  rule wins ("how many years old" AGE > "how many years" DURATION > "how many" QUANTITY). Topic
  words ("price", "reason") count too, except in yes/no questions, which are OTHER unless they
  embed a question phrase ("do you know when..."). "who" is PERSON (an ORG answers it too, see
  :data:`COMPATIBLE`); growth questions ("how much has X grown") are OTHER, since the answer may be
  a percentage, an amount or "from X to Y".
- ``find_spans`` finds in French and English sentences, with regular expressions: numbers (any
  thousands separator, decimals, written numbers) with their currency, percent sign, unit or time
  unit; dates and clock times; ages; reason clauses; capitalised names as person, org or place.
  Overlaps across kinds are kept, except those in ``_YIELDS_TO``: a bare count inside a money,
  date... span goes, "61 ans" is AGE only in an age context ("âgé de", ", 61 ans,", "a 61 ans"),
  and "il y a deux ans" / "two years ago" is both a DATE and a DURATION.
- ``answer_span`` picks the span that answers; ``has_kind`` says whether spans carry the expected
  kind. Both go through the one :data:`COMPATIBLE` table.

What it does not know: no gazetteer beyond a few countries and cities, no parser, no entity model.
One capitalised word mid-sentence is reported as ORG (it may be a surname or a product); two or
more are a PERSON unless a keyword says organisation or place, so some product names pass as
people. A sentence-initial name counts only before a role comma ("Margaret Okafor, the ...").
PLACE spans are the name without its preposition ("aux États-Unis" gives "États-Unis").
Spanish and German sentences are not analysed.

The word lists and regular expressions all this reads are in ``kinds_words.py``; here is what is done
with them.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
from dataclasses import dataclass

from bot.retrieval.kinds_words import (
    AGO,
    BARE_YEAR,
    COUNT,
    DEMONYM_ENDINGS,
    FUNCTION_WORDS,
    MONTHS_DAYS,
    NEAR_WORDS,
    NOT_ORG,
    OPENERS,
    ORG_WORDS,
    PARTICLES,
    PLACE_HEADS,
    PLACE_PREPS,
    PLACES,
    QUESTION_RULES,
    SPAN_PATTERNS,
    TITLES,
    TOKEN,
    WEAK_PLACE_PREPS,
    YEAR_AFTER,
    YEAR_BEFORE,
    YES_NO,
    fold,
)

__all__ = ["COMPATIBLE", "Kind", "Span", "answer_span", "expected_kind", "find_spans", "has_kind"]


class Kind(enum.StrEnum):
    """What kind of answer a question wants; the kind of a span."""

    DATE = "date"
    DURATION = "duration"
    MONEY = "money"
    PERCENT = "percent"
    AGE = "age"
    MEASURE = "measure"
    QUANTITY = "quantity"
    PERSON = "person"
    ORG = "org"
    PLACE = "place"
    REASON = "reason"
    OTHER = "other"


@dataclass(frozen=True)
class Span:
    """``sentence[start:end]`` is text of this kind."""

    kind: Kind
    start: int
    end: int


K = Kind
#: Expected kind -> span kinds that carry it. QUANTITY takes MEASURE ("how many" + a unit is a measure) but not
#: MONEY/PERCENT/AGE; PERSON and ORG take each other (capitalised names cannot be told apart reliably);
#: DURATION does not take AGE. OTHER has no entry: no evidence either way.
COMPATIBLE: dict[Kind, frozenset[Kind]] = {
    K.DATE: frozenset({K.DATE}), K.DURATION: frozenset({K.DURATION}), K.MONEY: frozenset({K.MONEY}),
    K.PERCENT: frozenset({K.PERCENT}), K.AGE: frozenset({K.AGE}), K.MEASURE: frozenset({K.MEASURE}),
    K.QUANTITY: frozenset({K.QUANTITY, K.MEASURE}), K.PERSON: frozenset({K.PERSON, K.ORG}),
    K.ORG: frozenset({K.ORG, K.PERSON}), K.PLACE: frozenset({K.PLACE}), K.REASON: frozenset({K.REASON}),
}
_NUMERIC = frozenset({K.MONEY, K.PERCENT, K.MEASURE, K.AGE, K.DURATION, K.DATE})
#: A span of the key kind is dropped when it overlaps a span of one of these kinds.
_YIELDS_TO: dict[Kind, frozenset[Kind]] = {
    K.QUANTITY: _NUMERIC, K.DURATION: frozenset({K.AGE, K.DATE}), K.MEASURE: frozenset({K.MONEY, K.PERCENT}),
    K.PERSON: frozenset({K.ORG}), K.PLACE: frozenset({K.ORG, K.MONEY}),
}

#: The tables of ``kinds_words.py``, their kinds read into ``Kind`` and their patterns compiled.
_COMPILED = tuple((Kind(kind), re.compile(p)) for kind, p in SPAN_PATTERNS)
_Q_COMPILED = tuple((Kind(kind), wh, re.compile(p)) for kind, wh, p in QUESTION_RULES)


# ---------------------------------------------------------------- questions (matched on the folded question)
def _normalize_question(question: str) -> str:
    text = fold(question.replace("ß", "ss").replace("œ", "oe"))
    return " ".join(re.sub(r"[?!.,;:¿¡()\[\]\"«»*_~]", " ", text).split())


def expected_kind(question: str) -> Kind:
    """The kind of answer a question wants; OTHER for what/how/yes-no questions."""
    text = _normalize_question(question)
    yes_no = bool(YES_NO.match(text))
    best: tuple[int, int, Kind] | None = None
    for order, (kind, wh, pattern) in enumerate(_Q_COMPILED):
        if yes_no and not wh:
            continue
        m = pattern.search(text)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, kind)
    return best[2] if best else Kind.OTHER


# ---------------------------------------------------------------- spans
def _trimmed(kind: Kind, sentence: str, start: int, end: int) -> Span:
    while end > start and sentence[end - 1].isspace():
        end -= 1
    return Span(kind, start, end)


def _pattern_spans(sentence: str) -> list[Span]:
    out = []
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(sentence):
            group = next((g for g in pattern.groupindex if m.group(g)), None)
            start, end = m.span(group) if group else m.span()
            if end > start:
                out.append(_trimmed(kind, sentence, start, end))
    for m in BARE_YEAR.finditer(sentence):
        if YEAR_BEFORE.search(sentence[max(0, m.start() - 12):m.start()]) or YEAR_AFTER.match(sentence, m.end()):
            out.append(Span(K.DATE, m.start(), m.end()))
    for m in COUNT.finditer(sentence):
        noun = m.group("n")
        keep = noun and noun[1:2].islower() and fold(noun.strip()) not in FUNCTION_WORDS
        out.append(Span(K.QUANTITY, m.start(), m.end() if keep else m.start("n") if noun else m.end()))
    return out


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int


def _tokens(sentence: str) -> list[_Tok]:
    toks = [_Tok(m.group(), m.start(), m.end()) for m in TOKEN.finditer(sentence)]
    merged: list[_Tok] = []
    for tok in toks:  # "M" "." -> "M."
        if tok.text == "." and merged and merged[-1].end == tok.start and merged[-1].text + "." in TITLES:
            merged[-1] = _Tok(merged[-1].text + ".", merged[-1].start, tok.end)
        else:
            merged.append(tok)
    return merged


def _is_name(tok: _Tok) -> bool:
    return tok.text[:1].isupper() and (_is_acronym(tok.text) or fold(tok.text) not in FUNCTION_WORDS | MONTHS_DAYS)


def _is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 6 and text.isalpha() and text.isupper()


def _gap_ok(sentence: str, a: _Tok, b: _Tok) -> bool:
    return len(sentence[a.end:b.start]) <= 2 and not sentence[a.end:b.start].strip(" \u00a0\u202f")


def _classify(sentence: str, toks: list[_Tok], i: int, group: list[_Tok]) -> Kind | None:
    folded = [fold(t.text) for t in group]
    names = [t.text for t in group if t.text != "&" and fold(t.text) not in PARTICLES]
    if not names:  # a capitalised particle alone ("Du", "Van" at the start of a sentence)
        return None
    prev, prev2 = (fold(toks[i - k].text) if i >= k else "" for k in (1, 2))
    starts = i == 0 or toks[i - 1].text in OPENERS or "\n" in sentence[toks[i - 1].end:toks[i].start]
    if "&" in folded or any(f in ORG_WORDS for f in folded):
        return K.ORG
    if any(f in PLACE_HEADS for f in folded) or {" ".join(map(fold, names)), fold(names[0])} & PLACES:
        return K.PLACE
    if names[0] in TITLES:
        return K.PERSON if len(names) > 1 else None
    if prev in PLACE_PREPS:
        return K.PLACE
    if len(names) > 1:
        if all(_is_acronym(n) for n in names):
            return K.ORG
        role_comma = sentence[group[-1].end:].lstrip(" \u00a0\u202f").startswith(",")
        return K.PERSON if not starts or role_comma else None
    if _is_acronym(names[0]):
        return None if names[0] in NOT_ORG else K.ORG
    if prev in WEAK_PLACE_PREPS or (prev in ("de", "d'", "du") and prev2 in NEAR_WORDS):
        return K.PLACE
    lone_ok = not starts and len(names[0]) > 1 and not names[0].endswith(DEMONYM_ENDINGS)
    return K.ORG if lone_ok else None  # a lone capitalised word: company, outlet, surname or product


def _name_spans(sentence: str) -> list[Span]:
    toks, out, i = _tokens(sentence), [], 0
    while i < len(toks):
        if not _is_name(toks[i]):
            i += 1
            continue
        group, j = [toks[i]], i + 1
        while j < len(toks):
            if _is_name(toks[j]) and _gap_ok(sentence, toks[j - 1], toks[j]):
                group.append(toks[j])
                j += 1
                continue
            k = j  # up to two particles or "&" between names: "Charles de Gaulle", "Calder & Finch"
            while k < len(toks) and k - j < 2 and (fold(toks[k].text) in PARTICLES or toks[k].text == "&") \
                    and _gap_ok(sentence, toks[k - 1], toks[k]):
                k += 1
            heads = {fold(t.text) for t in group} & (ORG_WORDS | PLACE_HEADS)
            if k == j or k >= len(toks) or not _is_name(toks[k]) or not _gap_ok(sentence, toks[k - 1], toks[k]) \
                    or not (len(group) == 1 or heads or toks[j].text == "&"):
                break
            group += toks[j:k + 1]
            j = k + 1
        kind = _classify(sentence, toks, i, group)
        if kind:
            out.append(Span(kind, group[0].start, group[-1].end))
        i = j
    return out


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


@functools.lru_cache(maxsize=8192)  # the same article sentences come back question after question; never mutated
def find_spans(sentence: str) -> list[Span]:
    """All typed spans of a French or English sentence, sorted by start; kinds may overlap."""
    kept: list[Span] = []
    for span in sorted(_pattern_spans(sentence) + _name_spans(sentence), key=lambda s: (s.start - s.end, s.start)):
        if not any(k.kind == span.kind and _overlaps(k, span) for k in kept):  # longest of a kind wins
            kept.append(span)

    def yields(span: Span, other: Span) -> bool:
        ago = other.kind == K.DATE and span.kind == K.DURATION and AGO.search(sentence[other.start:other.end])
        return other.kind in _YIELDS_TO.get(span.kind, ()) and _overlaps(span, other) and not ago

    return sorted((s for s in kept if not any(yields(s, o) for o in kept)), key=lambda s: (s.start, s.end, s.kind))


# ---------------------------------------------------------------- choosing the answer
_WHO_IS = re.compile(r"\b(?:who(?:'s|s| is| was)|(?:qui|ki) (?:est|etait)|c(?:'est|est)? (?:qui|ki)|quien (?:es|era"
                     r"|fue)|wer (?:ist|war))\s+(?P<x>.+)$")
_CLAUSE_CUT = re.compile(r"[,;:()—–](?!\d)|\s(?:and|et|while|whereas|but|mais|alors que|tandis que)\s")
_ROLE = re.compile(r"\s*(?:,\s*(?:who is\s|qui est\s)?|\s(?:is|was|became|est|était|devient|est devenu)\s)"
                   r"(?P<r>[^,;:.()—–]*[^\W\d_][^,;:.()—–]*)")


def _question_words(question: str) -> set[str]:
    words = re.findall(r"[^\W_]+", _normalize_question(question))
    return {w for w in words if (len(w) > 2 or w.isdigit()) and w not in FUNCTION_WORDS}


def _anchors(folded_sentence: str, qwords: set[str]) -> list[tuple[str, tuple[int, int]]]:
    """(question word, where) for each sentence word that matches one (same word or same first five letters)."""
    found = []
    for m in re.finditer(r"[^\W_]+", folded_sentence):
        w = m.group()
        found += [(q, m.span()) for q in qwords if w == q or (len(q) > 3 and w.startswith(q[:5]))]
    return found


def _given(folded_sentence: str, span: Span, qwords: set[str]) -> bool:
    words = re.findall(r"[^\W_]+", folded_sentence[span.start:span.end])
    return bool(words) and all(w in qwords for w in words if w not in FUNCTION_WORDS)


def _role(sentence: str, folded: str, question: str) -> Span | bool | None:
    """For "who is <name found capitalised in the sentence>": the role phrase after it, or False; else None."""
    m = _WHO_IS.search(_normalize_question(question))
    name = m and re.search(r"\b" + r"\s+".join(map(re.escape, m.group("x").split())) + r"\b", folded)
    if not name or not sentence[name.start()].isupper():
        return None
    role = _ROLE.match(sentence, name.end())
    return _trimmed(K.PERSON, sentence, role.start("r"), role.end("r")) if role else False


def answer_span(sentence: str, kind: Kind, question: str = "", hints: tuple[str, ...] = ()) -> Span | None:
    """The span of ``kind`` (or a compatible kind) that answers ``question``; None when none fits.

    Exact-kind spans come before compatible ones; spans that only repeat the question are skipped. Among several,
    the one whose clause holds most question words wins, then the one nearest them, then the first. "who is
    <name in the sentence>" returns the role after the name ("Hugo Barra, le vice-président de Xiaomi, ...", or
    "X is the ..."), kind PERSON, or None when the sentence gives no role.
    """
    qwords = _question_words(" ".join([question, *hints]))  # hints: the question's words in the article's language
    span = _typed_span(sentence, kind, question, qwords)
    if span is not None and span.kind not in (K.PERSON, K.REASON):
        span = _widen(sentence, span)
    if span is None and kind == K.OTHER:  # an age asked for and none found: nothing to mark, not a clause
        return _best_clause(sentence, qwords)
    return span


#: Words that belong to an amount or a date when they stand just before it ("about 140 jobs", "près de
#: 80 %", "le 3 juin", "au printemps 2027") or just after it ("€240 a year", "180 euros la tonne").
_BEFORE = re.compile(r"(?:\b(?:about|around|almost|nearly|roughly|some|more than|less than|over|under|up to|"
                     r"at least|only|just|environ|près de|presque|plus de|moins de|jusqu'à|jusqu’à|quelque|"
                     r"in|on|en|le|la|au|aux|dès|depuis|since|from|at|à)\s+)+$", re.I)
_AFTER = re.compile(r"^\s+(?:a|an|per|par|la|le|each|chaque)\s+(?:day|week|month|year|hour|jour|semaine|mois|an|"
                    r"année|heure|tonne|ton|person|personne|head|tête)\b", re.I)


def _widen(sentence: str, span: Span) -> Span:
    """``span`` with the qualifiers that are part of the answer: "about 11 weeks", not "11 weeks"."""
    before = _BEFORE.search(sentence[: span.start])
    after = _AFTER.match(sentence[span.end:])
    return Span(span.kind, before.start() if before else span.start, span.end + (after.end() if after else 0))


def _best_clause(sentence: str, qwords: set[str]) -> Span | None:
    """For a question no typed span answers: the clause of the sentence holding most question words
    (None when the sentence is one clause, or no clause holds any)."""
    folded = fold(sentence)
    bounds = [0, *[m.start() + (1 if m.group().strip() else 0) for m in _CLAUSE_CUT.finditer(folded)], len(sentence)]
    pairs = zip(bounds, bounds[1:], strict=False)
    clauses = [(a, b) for a, b in pairs if len(re.findall(r"[^\W_]+", folded[a:b])) >= 2]
    if len(clauses) < 2:
        return None
    counts = [len({q for q, (x, _) in _anchors(folded, qwords) if a <= x < b}) for a, b in clauses]
    best = max(range(len(clauses)), key=lambda i: (counts[i], -i))
    if not counts[best]:
        return None
    a, b = clauses[best]
    text = sentence[a:b]
    start = a + len(text) - len(text.lstrip(" ,;:()—–«»\u00a0\u202f"))
    end = b - (len(text) - len(text.rstrip(" ,;:()—–«».\u00a0\u202f")))
    return Span(K.OTHER, start, end) if end > start else None


def _typed_span(sentence: str, kind: Kind, question: str, qwords: set[str]) -> Span | None:
    if kind == K.OTHER:
        return None
    spans, folded = find_spans(sentence), fold(sentence)
    if kind == K.PERSON and (role := _role(sentence, folded, question)) is not None:
        return role or None
    ranked = [s for s in spans if s.kind == kind] or [s for s in spans if s.kind in COMPATIBLE[kind]]
    ranked = [s for s in ranked if not (qwords and _given(folded, s, qwords))]
    if not ranked:
        return None
    anchors = _anchors(folded, qwords)
    cuts = [m.start() for m in _CLAUSE_CUT.finditer(folded)]

    def score(span: Span) -> tuple[int, float]:
        """Question words in the span's clause, then closeness of each word's nearest occurrence."""
        clause = bisect.bisect(cuts, span.start)
        near: dict[str, float] = {}
        for word, (a, b) in anchors:
            near[word] = max(near.get(word, 0.0), 1 / (1 + max(a - span.end, span.start - b, 0)))
        return len({w for w, (a, _) in anchors if bisect.bisect(cuts, a) == clause}), sum(near.values())

    return max(ranked, key=lambda s: (*score(s), -s.start))


def has_kind(sentence_spans: list[Span], kind: Kind) -> bool | None:
    """Whether spans carry ``kind`` per :data:`COMPATIBLE`; None for OTHER (no evidence either way)."""
    if kind == K.OTHER:
        return None
    return any(s.kind in COMPATIBLE[kind] for s in sentence_spans)
