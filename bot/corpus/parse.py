"""Article files → :class:`Article` values: cleaned, split into paragraphs and sentences.

Every sentence keeps its character offsets into the original file, and a ``kind``:

- ``prose``: an answer candidate;
- ``question``: a sentence that asks (a headline such as "Will X happen?"): context, never an answer;
- ``noise``: a line that is not prose (image slug, file name, caption or heading without final
  punctuation: up to 25 words when it stands alone as a paragraph, 12 inside a block of prose):
  shown nowhere, never an answer.

A first line holding a question headline followed by a statement keeps the statement as prose.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.article import (
    HTML_SUFFIXES,
    SIDECAR_KEYS,
    Article,
    FileStamp,
    Sentence,
    article_files,
    article_id,
    read_sidecar,
    sentence_id,
)
from bot.corpus.text import STEMMERS, clean, detect_language, normalize_chars
from bot.errors import ArticleError

_SLUG = re.compile(r"^[\w.\-/]+$")
_FILE_NAME = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|mp4|html?)$", re.I)
_FINAL_PUNCT = re.compile(r"[.!?…:;»\"'”“)\]]$")
_CAPTION_MAX_WORDS = 12
#: A paragraph that is one unpunctuated line is a caption or a heading up to this length (a
#: caption line inside a block of prose stays at ``_CAPTION_MAX_WORDS``).
_STANDALONE_CAPTION_MAX_WORDS = 25


def is_noise(block: str, max_words: int = _CAPTION_MAX_WORDS) -> bool:
    """A line that is not prose: an image slug, a file name, or a caption/heading of at most
    ``max_words`` words without final punctuation."""
    text = block.strip()
    if not text:
        return True
    if is_slug(text):
        return True
    return len(text.split()) <= max_words and not _FINAL_PUNCT.search(text)


def is_slug(line: str) -> bool:
    """An image slug (``xiaomi-mi-5-3``) or a file name (``photo.jpg``)."""
    text = line.strip()
    return bool(_FILE_NAME.search(text) or (_SLUG.match(text) and ("-" in text or "_" in text or "/" in text)))


def is_question(sentence: str) -> bool:
    return sentence.rstrip(" »\"'”“)]").endswith("?")


@functools.cache
def _segmenter(lang: str):
    import pysbd

    return pysbd.Segmenter(language=lang if lang in {"en", "fr", "es", "de", "it", "nl"} else "en",
                           clean=False)


# A title abbreviation before a name never ends a sentence ("Le Dr. Martin", "M. Dupont").
_TITLE_ABBREV = re.compile(r"(?:^|[\s(«\"])(?:Dr|Drs|Mr|Mrs|Ms|Mme|Mmes|Mlle|M|MM|St|Ste|Prof|Pr|Sr|Sra|Srta|Dra|"
                           r"Hr|Fr|Me|Mgr|Gen|Gén|Col|Lt|Capt|Sgt|Rev|Hon|Nr|No|vs|cf)\.$")
# A sentence that ends inside closing quotes, followed by a new sentence: « … ? » Le marché …
_AFTER_QUOTE = re.compile(r"[.?!…][ ]?[»”\"]([ ]+)(?=[«“\"A-ZÀ-Ý])")


def _refine(block: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fix what pysbd gets wrong: splits after title abbreviations, no split after closing quotes."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _TITLE_ABBREV.search(block[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    out: list[tuple[int, int]] = []
    for start, end in merged:
        cut = start
        for m in _AFTER_QUOTE.finditer(block, start, end):
            out.append((cut, m.start(1)))
            cut = m.end(1)
        out.append((cut, end))
    return out


def split_sentences(block: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``block``, found with pysbd, trimmed of spaces."""
    block = block.replace("\n", " ")  # a single newline is wrapped prose, not a boundary (same length)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter(lang).segment(block):
        piece = piece.strip()
        if not piece:
            continue
        start = block.find(piece, cursor)
        if start < 0:  # pysbd changed the text: fall back to the rest of the block
            start = cursor
            piece = block[cursor:].strip()
        end = start + len(piece)
        spans.append((start, end))
        cursor = end
    return _refine(block, spans)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs are separated by blank lines; a single newline inside prose joins lines."""
    spans, start = [], 0
    for m in re.finditer(r"\n[ ]*\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        # Lines that stand alone as non-prose (a slug or file name, every line of an all-caption block,
        # a caption after a finished sentence) are split off; other lines are wrapped prose and stay
        # joined, even when one of them is short and unpunctuated.
        lines = [(a + m.start(), a + m.end()) for m in re.finditer(r"[^\n]+", text[a:b])
                 if text[a + m.start():a + m.end()].strip()]
        noisy = [is_noise(text[x:y]) for x, y in lines]
        alone = [is_slug(text[x:y]) or all(noisy)
                 or (noisy[i] and i == len(lines) - 1 and i > 0
                     and bool(_FINAL_PUNCT.search(text[lines[i - 1][0]:lines[i - 1][1]].rstrip())))
                 for i, (x, y) in enumerate(lines)]
        if len(lines) <= 1 or not any(alone):
            if text[a:b].strip():
                out.append((a, b))
            continue
        group: list[tuple[int, int]] = []
        for (x, y), single in zip(lines, alone, strict=True):
            if single:
                if group:
                    out.append((group[0][0], group[-1][1]))
                    group = []
                out.append((x, y))
            else:
                group.append((x, y))
        if group:
            out.append((group[0][0], group[-1][1]))
    return out


def parse_article(path: Path) -> Article:
    """Read and split one article file (and its sidecar); raise ArticleError when it cannot be used."""
    try:
        stamp = FileStamp.of(path)
        raw = path.read_bytes()
    except OSError as err:
        raise ArticleError(f"{path}: cannot read article ({err.strerror})") from None
    meta: dict[str, str] = {}
    if path.suffix.lower() in HTML_SUFFIXES:  # offsets are then into the extracted text
        from bot.corpus.extract import extract_html

        page = extract_html(raw, None, str(path))
        original, offset = page.text, 0
        meta = {k: v for k, v in page.sidecar().items() if k != "language"}
    else:
        try:
            original = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ArticleError(f"{path}: not UTF-8 (byte {err.start}); re-save the file as UTF-8") from None
        offset = len(raw.decode("utf-8")) - len(original) if raw.startswith(b"\xef\xbb\xbf") else 0
    return _parse(original, article_id(path), meta, str(path), path, raw, offset, stamp, sidecar=True)


def parse_text(text: str, art_id: str, meta: dict[str, str] | None = None, *, where: str | None = None) -> Article:
    """Split an article given as a string, as :func:`parse_article` would split it saved as
    ``<art_id>.txt`` (UTF-8) with ``meta`` as its sidecar; errors name ``where`` (default: the id)."""
    side = {k: str(v) for k, v in (meta or {}).items() if k in SIDECAR_KEYS and v}
    raw = text.encode("utf-8")
    body = text[1:] if text.startswith("\ufeff") else text  # a byte-order mark, as utf-8-sig reads it
    return _parse(body, art_id, side, where or art_id, Path(f"{art_id}.txt"), raw, len(text) - len(body), None)


def _parse(original: str, art_id: str, meta: dict[str, str], where: str, path: Path, raw: bytes, offset: int,
           stamp: FileStamp | None, sidecar: bool = False) -> Article:
    """The article in ``original`` (``raw`` its bytes, for the digest; ``offset``: of ``original`` in
    them, in characters); errors say ``where``. ``sidecar``: ``path``'s sidecar adds to ``meta``."""
    text = normalize_chars(original)
    if not text.strip():
        raise ArticleError(f"{where}: the article is empty; put its text in the file or remove it")
    if sidecar:
        meta = meta | read_sidecar(path)
    lang = meta.get("language") or detect_language(text, default="en")
    if lang not in STEMMERS:
        lang = "en"
    sentences = _sentences(text, art_id, lang, offset)
    if not any(s.answerable for s in sentences):
        raise ArticleError(f"{where}: no prose sentence found; an article needs at least one full sentence")
    return Article(
        id=art_id, path=path, title=meta.get("title") or _title(sentences), language=lang,
        sha256=hashlib.sha256(raw).hexdigest(), sentences=tuple(sentences),
        source=meta.get("source"), url=meta.get("url"), date=meta.get("date"), meta=meta, stamp=stamp,
    )


def _sentences(text: str, art_id: str, lang: str, offset: int) -> list[Sentence]:
    """Paragraphs into sentences with their kinds; noise lines keep a line of their own."""
    sentences: list[Sentence] = []
    paragraph = 0
    for a, b in _paragraph_spans(text):
        block = text[a:b]
        standalone = "\n" not in block.strip()
        if is_noise(block, _STANDALONE_CAPTION_MAX_WORDS if standalone else _CAPTION_MAX_WORDS):
            a, b = a + len(block) - len(block.lstrip()), a + len(block.rstrip())  # trimmed, like sentences
            sentences.append(Sentence(sentence_id(art_id, len(sentences) + 1), art_id, paragraph, 0,
                                      a + offset, b + offset, clean(block), "noise"))
            continue
        paragraph += 1
        for number, (s, e) in enumerate(split_sentences(block, lang), start=1):
            sent = clean(block[s:e])
            kind = "question" if is_question(sent) else "prose"
            sentences.append(Sentence(sentence_id(art_id, len(sentences) + 1), art_id, paragraph, number,
                                      a + s + offset, a + e + offset, sent, kind))
    return sentences


def _title(sentences: list[Sentence]) -> str:
    first = sentences[0]
    if first.kind == "noise" and first.start == 0:
        return first.text
    return first.text if len(first.text) <= 200 else first.text[:197] + "…"


def load_articles(folder: Path) -> list[Article]:
    """Every article of ``folder`` in name order; the first unusable file raises ArticleError."""
    articles = [parse_article(path) for path in article_files(folder)]
    if not articles:
        raise ArticleError(f"{folder}: no article found; add a UTF-8 .txt file (one article per file)")
    return articles


@dataclass(frozen=True)
class Skipped:
    """An article file that cannot be used: it is left out, with the reason, and the others serve."""

    stamp: FileStamp
    reason: str
    depends: bool = False  # skipped because of another file (same id): checked again at every scan


def read_folder(folder: Path, known: dict[str, FileStamp] | None = None, skipped_before: list[Skipped] = ()
                ) -> tuple[dict[str, FileStamp | Article], list[Skipped]]:
    """Scan ``folder``: each article file by id, as its :class:`FileStamp` when ``known`` has the same
    stamp (unchanged: not read), else parsed into an :class:`Article`. Files that cannot be used are
    returned as :class:`Skipped`, never raised, so one bad file does not take the corpus down; one
    skipped before with the same stamp is not read again."""
    known = known or {}
    before = {s.stamp: s for s in skipped_before}
    found: dict[str, FileStamp | Article] = {}
    skipped: list[Skipped] = []
    for path in article_files(folder):
        try:
            stamp = FileStamp.of(path)
        except OSError as err:
            skipped.append(Skipped(FileStamp(path.name, 0, 0), f"{path}: cannot read article ({err.strerror})"))
            continue
        art_id = article_id(path)
        if art_id in found:  # never remembered: it depends on the other file, not on this one
            skipped.append(Skipped(stamp, f"{path}: another file already has the id {art_id!r}; rename one",
                                   depends=True))
            continue
        if known.get(art_id) == stamp:
            found[art_id] = stamp
            continue
        if stamp in before and not before[stamp].depends:
            skipped.append(before[stamp])
            continue
        try:
            found[art_id] = parse_article(path)
        except ArticleError as err:
            skipped.append(Skipped(stamp, str(err)))
    return found, skipped
