"""The public QA data of ``../shared/qa-data/`` as articles, sentences and reader examples.

    SQuAD 2.0 English (CC BY-SA 4.0), SQuAD-es v2.0 (CC BY 4.0), PIAF v1.1 (MIT / Licence Ouverte).

The files are read where they lie (``--data``, default ``../shared/qa-data``); nothing of them is
ever written into the repository. Every paragraph is split into sentences with the bot's own
splitter (``bot.ingest.split_sentences``), so the reader trains on the segmentation it will read.

**Split by article, across languages**: the Spanish file translates the English one (and 19 more
articles), so an English article and its translation get one key (matched by the years and
numbers they share) and land on the same side. Held out: one article in five of the English /
Spanish keys and one in ten of PIAF's, chosen by a hash of the key, never by question.

**Examples** (:func:`examples`) are what the reader sees at run time: a question, an article title
and a handful of that article's sentences in article order (the candidates the retrieval keeps),
with the answer's sentence and character span, or none:

- an answerable question with its answer's sentence, some of that paragraph's other sentences and
  sentences of other paragraphs that share its words (the near misses retrieval brings);
- the same question with the answer's sentence taken out (when no other sentence holds the answer
  text): the topic is there, the answer is not, which is what a near-topic trap looks like;
- SQuAD 2.0's unanswerable questions (written to look answerable from their paragraph) with their
  paragraph's sentences;
- English questions over the Spanish translation of their paragraph and the other way round
  (questions paired by their e5 cosine, ``translations``), so that reading across languages is
  trained, not only inherited from the encoder;
- a question over sentences of another article of its language (``foreign_share``), with that
  article's title: what the reader meets in a corpus, where each article's candidates are read
  apart and most of them cannot answer.

With ``casual_share``, a question is typed the way people type on Discord (:func:`casual`): lower
case, no question mark, no accents, a dropped letter, chat abbreviations.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import random
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.parse import split_sentences
from bot.corpus.text import fold, words

FILES = {"en": "squad2-en.json", "es": "squad2-es.json", "fr": "piaf-fr.json"}
#: One key in this many is held out (English/Spanish keys; PIAF's).
#: Held out: this many English keys (each with its Spanish translation), of the Spanish-only keys, and one
#: PIAF article in ``PIAF_EVERY``, chosen by the SHA-1 of the key (never by question).
HELD_OUT = {"en": 3, "es": 4}
PIAF_EVERY = 10
_NUMBER = re.compile(r"\b\d{3,4}\b")


@dataclass(frozen=True)
class Paragraph:
    index: int
    context: str
    sentences: tuple[tuple[int, int], ...]   # (start, end) in ``context``

    def text(self, i: int) -> str:
        a, b = self.sentences[i]
        return self.context[a:b]

    def sentence_at(self, offset: int) -> int | None:
        for i, (a, b) in enumerate(self.sentences):
            if a <= offset < b:
                return i
        return None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    paragraph: int
    answers: tuple[tuple[str, int], ...]     # (text, start in the paragraph's context)
    impossible: bool


@dataclass(frozen=True)
class Article:
    key: str             # shared by an English article and its Spanish translation
    title: str
    lang: str
    paragraphs: tuple[Paragraph, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Example:
    """One reader input: the answer is (sentence index, start, end) in that sentence, or None."""

    question: str
    title: str
    sentences: tuple[str, ...]
    answer: tuple[int, int, int] | None
    lang: str
    kind: str            # answerable | removed | impossible | translated


def _title(raw: str) -> str:
    return re.sub(r"<[^>]+>", "", raw).replace(" _ ", " ").replace("_", " ").strip()


def load(data: Path, lang: str) -> list[Article]:
    """One file of qa-data as articles (sentences split, questions with their answers)."""
    raw = json.loads((data / FILES[lang]).read_text(encoding="utf-8"))["data"]
    out = []
    for art in raw:
        paragraphs, questions = [], []
        for i, p in enumerate(art["paragraphs"]):
            context = p["context"]
            paragraphs.append(Paragraph(i, context, tuple(split_sentences(context, lang))))
            for q in p["qas"]:
                answers = tuple((a["text"], int(a["answer_start"])) for a in q.get("answers", []))
                questions.append(Question(str(q["id"]), q["question"].strip(), i, answers,
                                          bool(q.get("is_impossible", False)) or not answers))
        out.append(Article(_title(art["title"]), _title(art["title"]), lang, tuple(paragraphs), tuple(questions)))
    return out


def align(english: list[Article], spanish: list[Article]) -> list[Article]:
    """The Spanish articles, those that translate an English one keyed by its English title."""
    def numbers(a: Article) -> set[str]:
        return set(_NUMBER.findall(" ".join(p.context for p in a.paragraphs)))

    keyed = {}
    for en in english:
        mine = numbers(en)
        best = max(spanish, key=lambda es: len(mine & numbers(es)) / (len(mine | numbers(es)) or 1))
        keyed[best.title] = en.key
    return [Article(keyed.get(a.title, a.key), a.title, a.lang, a.paragraphs, a.questions) for a in spanish]


def load_all(data: Path) -> list[Article]:
    english = load(data, "en")
    return english + align(english, load(data, "es")) + load(data, "fr")


def _hash(key: str) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16)


def held_out_keys(articles: list[Article], english: int = HELD_OUT["en"], spanish: int = HELD_OUT["es"],
                  piaf_every: int = PIAF_EVERY) -> frozenset[str]:
    """The keys kept out of training: ``english`` English keys (with their translations), ``spanish``
    Spanish-only keys, and one PIAF article in ``piaf_every``."""
    en = {a.key for a in articles if a.lang == "en"}
    es = {a.key for a in articles if a.lang == "es"} - en
    out = set(sorted(en, key=_hash)[:english]) | set(sorted(es, key=_hash)[:spanish])
    out |= {a.key for a in articles if a.lang == "fr" and _hash(a.key) % piaf_every == 0}
    return frozenset(out)


@functools.lru_cache(maxsize=200_000)
def _content(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words(text) if len(w) >= 4)


def gold_sentence(article: Article, q: Question) -> tuple[int, int, int] | None:
    """(sentence, start, end) of the first answer that lies inside one sentence, offsets in that sentence."""
    par = article.paragraphs[q.paragraph]
    for text, start in q.answers:
        i = par.sentence_at(start)
        if i is None:
            continue
        a, b = par.sentences[i]
        if start + len(text) <= b and par.context[start:start + len(text)] == text:
            return i, start - a, start + len(text) - a
    return None


def _passage(article: Article, q: Question, keep: int | None, rng: random.Random,
             query: str | None = None) -> list[tuple[int, int]]:
    """Sentences (paragraph, index) read with ``q``: ``keep`` (the answer's) if given, some of its
    paragraph, and sentences elsewhere in the article sharing the question's words, in article order."""
    par = article.paragraphs[q.paragraph]
    chosen = {(q.paragraph, keep)} if keep is not None else set()
    own = [i for i in range(len(par.sentences)) if i != keep]
    for i in own:
        if rng.random() < 0.5:
            chosen.add((q.paragraph, i))
    if len(chosen) < 2:  # never a passage of nothing, or of the answer alone
        chosen.update((q.paragraph, i) for i in rng.sample(own, min(len(own), 2 - len(chosen))))
    size = rng.randint(3, 8)
    mine = _content(query or q.text)
    others = [(p.index, i) for p in article.paragraphs if p.index != q.paragraph for i in range(len(p.sentences))]
    scored = sorted(others, key=lambda pi: (-len(mine & _content(article.paragraphs[pi[0]].text(pi[1]))),
                                            rng.random()))
    near = scored[: max(0, size - len(chosen))]
    far = rng.sample(others, min(len(others), 1)) if rng.random() < 0.5 else []
    chosen.update(near[: max(1, len(near) - len(far))] + far)
    return sorted(chosen)


def _example(article: Article, q: Question, picked: list[tuple[int, int]], answer: tuple[int, int, int] | None,
             kind: str, question: str | None = None) -> Example:
    texts = tuple(article.paragraphs[p].text(i) for p, i in picked)
    target = None
    if answer is not None:
        target = (picked.index((q.paragraph, answer[0])), answer[1], answer[2])
    return Example(question or q.text, article.title, texts, target, article.lang, kind)


#: Share of answerable questions also asked without their answer's sentence, per language: PIAF has no
#: unanswerable questions of its own, so French gets more of these.
REMOVED_SHARE = {"en": 0.35, "es": 0.35, "fr": 0.6}


#: Chat spellings of question words, per language (as the dev sets' questions are typed).
_CHAT = {
    "en": (("what is", "whats"), ("you", "u"), ("are", "r"), ("people", "ppl"), ("when", "wen"), ("how", "hw"),
           ("why", "y"), ("please", "pls")),
    "es": (("por qué", "xq"), ("que", "q"), ("cuántos", "cuantos"), ("está", "esta")),
    "fr": (("qu'est-ce que", "c quoi"), ("pourquoi", "pk"), ("combien", "cb"), ("c'est", "c"), ("quand", "qd")),
}


def casual(question: str, lang: str, rng: random.Random) -> str:
    """``question`` typed casually: some of lower case, no final ? or !, no accents, chat words, a dropped letter."""
    q = question
    if rng.random() < 0.6:
        q = q.lower()
    if rng.random() < 0.6:
        q = q.rstrip(" ?!").lstrip("¿¡")
    if rng.random() < 0.3:
        q = "".join(c for c in unicodedata.normalize("NFKD", q) if not unicodedata.combining(c))
    for long, short in _CHAT.get(lang, ()):
        if rng.random() < 0.5:
            q = re.sub(rf"\b{re.escape(long)}\b", short, q, flags=re.I)
    if rng.random() < 0.2:
        ws = q.split()
        i = rng.randrange(len(ws)) if ws else 0
        if ws and len(ws[i]) >= 5:
            j = rng.randrange(1, len(ws[i]) - 1)
            ws[i] = ws[i][:j] + ws[i][j + 1:]
            q = " ".join(ws)
    return q or question


def examples(articles: Iterable[Article], seed: int, removed_share: dict[str, float] = REMOVED_SHARE,
             translations: dict[str, tuple[str, str]] | None = None, foreign_share: float = 0.0,
             casual_share: float = 0.0) -> list[Example]:
    """Every question of ``articles`` as reader examples (see the module docstring), shuffled by ``seed``."""
    rng = random.Random(seed)
    articles = list(articles)
    by_id = {(a.lang, q.id): (a, q) for a in articles for q in a.questions}
    out: list[Example] = []
    for art in articles:
        for q in art.questions:
            gold = None if q.impossible else gold_sentence(art, q)
            if q.impossible:
                out.append(_example(art, q, _passage(art, q, None, rng), None, "impossible"))
                continue
            if gold is None:
                continue  # the answer crosses a sentence boundary: no sentence answers alone
            out.append(_example(art, q, _passage(art, q, gold[0], rng), gold, "answerable"))
            if rng.random() < removed_share.get(art.lang, 0.35):
                picked = _passage(art, q, None, rng)
                answer_texts = {fold(t) for t, _ in q.answers}
                kept = " ".join(fold(art.paragraphs[p].text(i)) for p, i in picked)
                if (q.paragraph, gold[0]) not in picked and not any(t in kept for t in answer_texts):
                    out.append(_example(art, q, picked, None, "removed"))
    for (lang, qid), (other_lang, other_id) in (translations or {}).items():
        if (lang, qid) not in by_id or (other_lang, other_id) not in by_id:
            continue
        (_, q), (art, target) = by_id[(lang, qid)], by_id[(other_lang, other_id)]
        gold = None if target.impossible else gold_sentence(art, target)
        if not target.impossible and gold is None:
            continue
        picked = _passage(art, target, gold[0] if gold else None, rng)
        out.append(_example(art, target, picked, gold, "translated", question=q.text))
    by_lang: dict[str, list[Article]] = {}
    for art in articles:
        by_lang.setdefault(art.lang, []).append(art)
    for art in articles:
        others = [a for a in by_lang[art.lang] if a.key != art.key]
        for q in art.questions:
            if others and rng.random() < foreign_share:
                other = rng.choice(others)
                picked = _passage(other, other.questions[0], None, rng, query=q.text) if other.questions else []
                if picked:
                    texts = tuple(other.paragraphs[p].text(i) for p, i in picked)
                    out.append(Example(q.text, other.title, texts, None, art.lang, "foreign"))
    if casual_share:
        out = [dataclasses.replace(e, question=casual(e.question, e.lang, rng)) if rng.random() < casual_share else e
               for e in out]
    rng.shuffle(out)
    return out
