"""Text primitives shared by ingest, the lexical scorer and the summary.

``normalize_chars`` only replaces characters one for one, so offsets computed on its output are
offsets into the original file too.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_ONE_FOR_ONE = str.maketrans(
    {
        "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\t": " ", "\r": " ",
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'",
    }
)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Languages we detect and stem; the Snowball algorithm name for each.
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "de": "german", "it": "italian",
            "pt": "portuguese", "nl": "dutch"}

# Words that ask rather than say, and words about the article itself, in the question languages.
_QUESTION_WORDS = {
    "en": "what when where who whom whose why how which does did do is are was were will would can could "
          "article text say says said tell mention mentioned according about anything much many",
    "fr": "quoi quand où qui comment pourquoi quel quelle quels quelles combien est-ce article texte dit "
          "dire selon parle mentionne faut-il y a-t-il",
    "es": "qué que cuándo dónde quién quiénes cómo por cuál cuáles cuánto cuántos artículo texto dice "
          "según habla menciona",
    "de": "was wann wo wer wen wem wie warum welche welcher welches wieviel wie viele artikel text sagt "
          "laut erwähnt steht",
}


def normalize_chars(text: str) -> str:
    """No-break and odd spaces to spaces, typographic apostrophes to ``'``; same length as input."""
    return text.translate(_ONE_FOR_ONE)


def clean(text: str) -> str:
    """Display/matching form: normalized characters, no zero-width marks, single spaces."""
    return _SPACES.sub(" ", _ZERO_WIDTH.sub("", normalize_chars(text))).strip()


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lowercase and strip accents (``États`` → ``etats``)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lowercased word tokens; elisions (``l'``, ``d'``) and hyphens split words apart."""
    return [w.lower() for w in _WORD.findall(normalize_chars(text))]


@functools.cache
def stopwords(lang: str) -> frozenset[str]:
    """Stop words of ``lang`` (bm25s lists), plus question and meta words for that language."""
    from bm25s import stopwords as sw

    lists = {"en": sw.STOPWORDS_EN_PLUS, "fr": sw.STOPWORDS_FRENCH, "es": sw.STOPWORDS_SPANISH,
             "de": sw.STOPWORDS_GERMAN, "it": sw.STOPWORDS_ITALIAN, "pt": sw.STOPWORDS_PORTUGUESE,
             "nl": sw.STOPWORDS_DUTCH}
    base = set(lists.get(lang, ()))
    base.update(_QUESTION_WORDS.get(lang, "").split())
    return frozenset(base | {fold(w) for w in base})


@functools.cache
def any_stopwords() -> frozenset[str]:
    """Union of all languages' stop words: a question may be in any of them."""
    out: set[str] = set()
    for lang in STEMMERS:
        out |= stopwords(lang)
    return frozenset(out)


def detect_language(text: str, default: str = "en") -> str:
    """Guess the language among STEMMERS from stop-word hits; ``default`` when nothing is known."""
    tokens = words(text)
    if not tokens:
        return default
    best, best_hits = default, 0
    for lang in STEMMERS:
        sw = stopwords(lang)
        hits = sum(1 for t in tokens if t in sw)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best


@functools.cache
def _stemmer(lang: str):
    import Stemmer

    return Stemmer.Stemmer(STEMMERS.get(lang, "english"))


def stem(word: str, lang: str) -> str:
    """Snowball stem of a lowercased word in ``lang``, accents folded afterwards."""
    return fold(_stemmer(lang).stemWord(word))


def content_words(text: str, lang: str | None = None) -> list[str]:
    """Words worth matching: not a stop word (of ``lang``, or of any language), not one letter."""
    sw = stopwords(lang) if lang else any_stopwords()
    return [w for w in words(text) if (len(w) > 1 or w.isdigit()) and w not in sw and fold(w) not in sw]
