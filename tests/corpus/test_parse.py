"""bot/corpus/parse.py: article files → sentences with kinds and exact offsets into the original file."""

from __future__ import annotations

import hashlib
import shutil
import textwrap

import pytest

from bot.corpus.article import FileStamp, article_files, article_id
from bot.corpus.parse import is_noise, is_question, load_articles, parse_article, read_folder, split_sentences
from bot.corpus.text import clean
from bot.errors import ArticleError
from tests.support.project import TRAM_TEXT, XIAOMI_TXT, XIAOMI_YAML

NBSP, NNBSP, APOS = "\u00a0", "\u202f", "\u2019"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assert_offsets_exact(article, original: str) -> None:
    """original[start:end] is the sentence, modulo space/apostrophe normalisation, for every row."""
    for s in article.sentences:
        piece = original[s.start:s.end]
        assert clean(piece) == s.text, (s, piece)
        assert piece == piece.strip() and piece.strip(NBSP + NNBSP) == piece, f"untrimmed span {piece!r}"


@pytest.fixture
def xiaomi(tmp_path):
    shutil.copy(XIAOMI_TXT, tmp_path / XIAOMI_TXT.name)
    shutil.copy(XIAOMI_YAML, tmp_path / XIAOMI_YAML.name)
    return parse_article(tmp_path / XIAOMI_TXT.name)


# ----- the shipped French article ----------------------------------------------------------------

def test_xiaomi_metadata_from_sidecar(xiaomi):
    assert xiaomi.id == "xiaomi-us.fr"
    assert xiaomi.title == "Xiaomi va-t-il finalement faire son entrée sur le marché US ?"
    assert xiaomi.language == "fr"
    assert xiaomi.source.startswith("seed article shipped with article-bot")
    assert xiaomi.date == "2016-07-01"
    assert xiaomi.sha256 == hashlib.sha256(XIAOMI_TXT.read_bytes()).hexdigest()


def test_xiaomi_offsets_point_into_the_original_file(xiaomi):
    original = XIAOMI_TXT.read_text(encoding="utf-8")
    assert NBSP in original and APOS in original  # the normalisation really is exercised
    assert_offsets_exact(xiaomi, original)
    # Sentence text is normalised: no no-break spaces or typographic apostrophes left.
    for s in xiaomi.sentences:
        assert NBSP not in s.text and NNBSP not in s.text and APOS not in s.text


def test_xiaomi_headline_question_then_statement(xiaomi):
    first, second = xiaomi.sentences[:2]
    assert first.text == "Xiaomi va-t-il finalement faire son entrée sur le marché US ?"
    assert first.kind == "question" and not first.answerable
    assert second.text.startswith("Après des années d'attentes")
    assert second.text.endswith("« dans un futur proche ».")
    assert second.kind == "prose" and second.answerable
    assert (first.paragraph, first.number, second.paragraph, second.number) == (1, 1, 1, 2)


def test_xiaomi_slug_and_caption_are_noise(xiaomi):
    noise = [s.text for s in xiaomi.sentences if s.kind == "noise"]
    assert noise == ["xiaomi-mi-5-3", "Le Xiaomi Mi 5"]
    assert all(s.number == 0 for s in xiaomi.sentences if s.kind == "noise")


def test_xiaomi_quotes_and_abbreviations_stay_in_one_sentence(xiaomi):
    texts = [s.text for s in xiaomi.sentences]
    quote = next(t for t in texts if t.startswith("« Les États-Unis"))
    assert quote.endswith("son ciblage très jeune.")  # « … », a-t-il assuré, … : one sentence
    assert "», a-t-il assuré" in quote
    assert "Xiaomi, auteur du Mi 5 salué par la critique – et par notre test." in texts
    assert any("« dans un futur proche » que les produits" in t for t in texts)


def test_xiaomi_prose_paragraphs_are_numbered_in_order(xiaomi):
    prose = [s for s in xiaomi.sentences if s.kind != "noise"]
    assert [s.paragraph for s in prose] == sorted(s.paragraph for s in prose)
    assert max(s.paragraph for s in prose) == 4
    for p in range(1, 5):
        numbers = [s.number for s in prose if s.paragraph == p]
        assert numbers == list(range(1, len(numbers) + 1))
    assert [s.id for s in xiaomi.sentences] == [f"xiaomi-us.fr#{n}" for n in range(1, len(xiaomi.sentences) + 1)]
    assert xiaomi.answerable == [s for s in xiaomi.sentences if s.kind == "prose"]


# ----- sentence splitting and kinds --------------------------------------------------------------

def test_english_abbreviations_do_not_split(tmp_path):
    art = parse_article(write(tmp_path / "tram.en.txt", TRAM_TEXT))
    texts = [s.text for s in art.sentences]
    assert ("Dr. Alice Moreno, who leads the project, said the U.S. supplier would deliver the first trams "
            "in 2027.") in texts
    assert "The line will run 14.2 kilometres from Northgate to the Riverside hospital." in texts
    assert_offsets_exact(art, TRAM_TEXT)


def test_english_headline_question_statement_and_noise(tmp_path):
    art = parse_article(write(tmp_path / "tram.en.txt", TRAM_TEXT))
    kinds = [(s.kind, s.text) for s in art.sentences[:4]]
    assert kinds == [
        ("question", "Will Halverton finally get its tram?"),
        ("prose", "The city council approved the Blue Line tram on Tuesday by nine votes to two."),
        ("noise", "halverton-blue-line-render"),
        ("noise", "An artist's impression of a tram on Mill Street"),
    ]
    assert art.language == "en"
    assert art.title == "Will Halverton finally get its tram?"  # no sidecar: the first line


def test_french_abbreviations_and_inverted_verbs(tmp_path):
    text = (f"Le Mi{NBSP}5 est sorti en 2016. Xiaomi a-t-il assuré qu{APOS}il viendra{NBSP}? "
            f"Hugo Barra l{APOS}a-t-il dit{NBSP}: «{NBSP}Nous arriverons aux États-Unis{NBSP}», "
            "selon Bloomberg.\n")
    art = parse_article(write(tmp_path / "mi.fr.txt", text))
    assert [(s.kind, s.text) for s in art.sentences] == [
        ("prose", "Le Mi 5 est sorti en 2016."),
        ("question", "Xiaomi a-t-il assuré qu'il viendra ?"),
        ("prose", "Hugo Barra l'a-t-il dit : « Nous arriverons aux États-Unis », selon Bloomberg."),
    ]
    assert art.language == "fr"
    assert_offsets_exact(art, text)


@pytest.mark.parametrize("sentence", [
    f"Il a demandé{NBSP}: «{NBSP}Quand arrive-t-il{NBSP}?{NBSP}»",
    'He asked: "When will it open?"',
    "He asked: \u201cWhen will it open?\u201d",
    "Will it open in 2027?",
])
def test_question_before_closing_quote_is_a_question(tmp_path, sentence):
    text = f"The tram opens in 2027. {sentence}\n"
    art = parse_article(write(tmp_path / "q.txt", text))
    assert [s.kind for s in art.sentences] == ["prose", "question"]
    assert art.sentences[1].text == clean(sentence)
    assert art.answerable == [art.sentences[0]]
    assert_offsets_exact(art, text)


def test_quoted_question_inside_a_statement_is_prose(tmp_path):
    art = parse_article(write(tmp_path / "q.en.txt", "\u201cIs it worth it?\u201d asked one resident.\n"))
    assert [(s.kind, s.text) for s in art.sentences] == [
        ("prose", "\u201cIs it worth it?\u201d asked one resident.")]


@pytest.mark.parametrize("line", [
    "xiaomi-mi-5-3", "photo.jpg", "images/IMG_2041.JPEG", "report.pdf", "halverton_blue_line",
    "Xiaomi", "Le Xiaomi Mi 5", "An artist's impression of a tram on Mill Street", "   ",
])
def test_is_noise(line):
    assert is_noise(line)


@pytest.mark.parametrize("line", [
    "The tram opens in 2027.", "Is it open?", "Hello!", "He said \u201cnever\u201d",
    "A caption that is long enough to be a real line of prose even without final punctuation at the end",
])
def test_is_not_noise(line):
    assert not is_noise(line)


@pytest.mark.parametrize("sentence, expected", [
    ("Will it open?", True), ("Va-t-il venir ?", True), ("« Quand ? »", True), ('"Why?"', True),
    ("(Really?)", True), ("\u201cWhy now?\u201d", True),
    ("It opens. ", False), ("Is it? No, it is not.", False), ("?!", False),
])
def test_is_question(sentence, expected):
    assert is_question(sentence) is expected


def test_noise_lines_inside_a_block_are_split_off(tmp_path):
    text = "photo.jpg\nThe tram opens in 2027 after years of delays.\nA tram on Mill Street\n"
    art = parse_article(write(tmp_path / "a.en.txt", text))
    assert [(s.kind, s.text) for s in art.sentences] == [
        ("noise", "photo.jpg"),
        ("prose", "The tram opens in 2027 after years of delays."),
        ("noise", "A tram on Mill Street"),
    ]
    assert_offsets_exact(art, text)


def test_single_newlines_inside_prose_join_lines(tmp_path):
    text = "The tram opens in 2027\nafter years of delays. It will have 19 stops.\n"
    art = parse_article(write(tmp_path / "a.en.txt", text))
    assert [s.text for s in art.sentences] == ["The tram opens in 2027 after years of delays.",
                                               "It will have 19 stops."]
    assert_offsets_exact(art, text)


def test_hard_wrapped_article_reads_like_the_unwrapped_one(tmp_path):
    wrapped = "\n\n".join(textwrap.fill(p, 72) for p in TRAM_TEXT.split("\n\n"))
    assert any(len(line.split()) <= 12 and line[-1] not in ".?!" for line in wrapped.splitlines() if line)
    flat = parse_article(write(tmp_path / "flat" / "tram.en.txt", TRAM_TEXT))
    art = parse_article(write(tmp_path / "wrapped" / "tram.en.txt", wrapped))
    assert [(s.kind, s.paragraph, s.number, s.text) for s in art.sentences] == \
        [(s.kind, s.paragraph, s.number, s.text) for s in flat.sentences]
    assert_offsets_exact(art, wrapped)


def test_caption_after_a_finished_sentence_is_noise(tmp_path):
    text = "The tram opens in 2027 after years of delays.\nAn artist's impression of the tram\n"
    art = parse_article(write(tmp_path / "a.en.txt", text))
    assert [(s.kind, s.text) for s in art.sentences] == [
        ("prose", "The tram opens in 2027 after years of delays."),
        ("noise", "An artist's impression of the tram"),
    ]


def test_a_long_caption_standing_alone_is_noise(tmp_path):
    caption = "The council building on Mill Street, at the edge of the business park near the river"
    tail = " ".join(["word"] * 30)  # 30 words with no final punctuation: kept as prose
    text = f"The tram opens in 2027.\n\n{caption}\n\nTrams will run every seven minutes.\n\n{tail}\n"
    art = parse_article(write(tmp_path / "a.en.txt", text))
    assert [(s.kind, s.text) for s in art.sentences] == [
        ("prose", "The tram opens in 2027."), ("noise", caption),
        ("prose", "Trams will run every seven minutes."), ("prose", tail),
    ]
    assert not is_noise(caption)  # the same line inside a block of prose is not split off


def test_split_sentences_spans_are_trimmed_and_ordered():
    block = "  First one here.   Second one here!  Third?  "
    spans = split_sentences(block, "en")
    assert [block[a:b] for a, b in spans] == ["First one here.", "Second one here!", "Third?"]


def test_offsets_with_bom_and_crlf(tmp_path):
    raw = (f"First sentence here.\r\nStill the first{NBSP}paragraph.\r\n\r\ntram-render-2\r\n\r\n"
           f"Second paragraph{NNBSP}is here.\r\nphoto.jpg\r\n")
    path = tmp_path / "bom.en.txt"
    path.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    art = parse_article(path)
    assert [(s.paragraph, s.number, s.text) for s in art.sentences] == [
        (1, 1, "First sentence here."), (1, 2, "Still the first paragraph."), (1, 0, "tram-render-2"),
        (2, 1, "Second paragraph is here."), (2, 0, "photo.jpg")]
    original = path.read_bytes().decode("utf-8")  # the BOM is character 0 of the file
    assert original[0] == "\ufeff"
    assert_offsets_exact(art, original)


# ----- metadata, ids, language -------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("xiaomi-us.fr.txt", "xiaomi-us.fr"), ("notes.md", "notes"), ("a.b.c.txt", "a.b.c"), ("README", "README"),
])
def test_article_id_drops_only_the_final_extension(tmp_path, name, expected):
    assert article_id(tmp_path / name) == expected


def test_sidecar_metadata_and_language_override(tmp_path):
    path = write(tmp_path / "tram.txt", "The tram opens in 2027. The council approved it on Tuesday.\n")
    write(tmp_path / "tram.yaml", "title: The tram\nsource: Daily Bugle\nurl: https://example.org/t\n"
                                  "date: 2025-09-17\nlanguage: fr\nauthor: Ann Lee\ncolour: ignored\n")
    art = parse_article(path)
    assert (art.title, art.source, art.url, art.date, art.language) == (
        "The tram", "Daily Bugle", "https://example.org/t", "2025-09-17", "fr")
    assert art.meta["author"] == "Ann Lee"
    assert "colour" not in art.meta


def test_language_detected_without_sidecar(tmp_path):
    fr = parse_article(write(tmp_path / "a.txt", "Le conseil a approuvé la ligne de tramway mardi. "
                                                 "Les travaux commenceront en mars.\n"))
    en = parse_article(write(tmp_path / "b.txt", "The council approved the tram line on Tuesday. "
                                                 "The work will start in March.\n"))
    assert (fr.language, en.language) == ("fr", "en")
    assert fr.title == "Le conseil a approuvé la ligne de tramway mardi."
    assert fr.source is None


def test_unknown_sidecar_language_falls_back_to_english(tmp_path):
    path = write(tmp_path / "a.txt", "The tram opens in 2027.\n")
    write(tmp_path / "a.yaml", "language: xx\n")
    assert parse_article(path).language == "en"


@pytest.mark.parametrize("sidecar, problem", [
    ("title: [unclosed\n", "not valid YAML"),
    ("- a\n- b\n", "mapping"),
])
def test_bad_sidecar(tmp_path, sidecar, problem):
    path = write(tmp_path / "a.txt", "The tram opens in 2027.\n")
    write(tmp_path / "a.yaml", sidecar)
    with pytest.raises(ArticleError, match=problem) as err:
        parse_article(path)
    assert str(tmp_path / "a.yaml") in str(err.value)
    assert "\n" not in str(err.value)


# ----- unusable files ----------------------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(ArticleError, match="cannot read article") as err:
        parse_article(tmp_path / "gone.txt")
    assert str(tmp_path / "gone.txt") in str(err.value)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le marché américain est très ouvert.\n".encode("latin-1"))
    with pytest.raises(ArticleError, match="not UTF-8") as err:
        parse_article(path)
    assert str(path) in str(err.value) and "UTF-8" in str(err.value)


@pytest.mark.parametrize("content", ["", "   \n\n\t  \n", "\u00a0\u202f\n"])
def test_empty_or_whitespace_only(tmp_path, content):
    path = write(tmp_path / "empty.txt", content)
    with pytest.raises(ArticleError, match="empty") as err:
        parse_article(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("content", ["photo.jpg\n\nxiaomi-mi-5-3\n", "Will it ever open?\n"])
def test_no_prose_sentence(tmp_path, content):
    path = write(tmp_path / "noprose.txt", content)
    with pytest.raises(ArticleError, match="no prose sentence") as err:
        parse_article(path)
    assert str(path) in str(err.value)


def test_errors_exit_with_code_2(tmp_path):
    with pytest.raises(ArticleError) as err:
        parse_article(write(tmp_path / "e.txt", ""))
    assert err.value.exit_code == 2


# ----- folders -----------------------------------------------------------------------------------

def test_load_articles_in_name_order_with_stable_ids(tmp_path):
    write(tmp_path / "b.en.txt", "The bakery reopened on Monday. It opens six days a week.\n")
    write(tmp_path / "a.en.md", "The tram opens in 2027.\n\nphoto.jpg\n\nIt has 19 stops.\n")
    write(tmp_path / "b.en.yaml", "title: Bakery\n")
    write(tmp_path / "notes.rst", "Not an article.\n")
    (tmp_path / "sub.txt").mkdir()
    arts = load_articles(tmp_path)
    assert [a.id for a in arts] == ["a.en", "b.en"]
    ids = [s.id for a in arts for s in a.sentences]
    assert ids == ["a.en#1", "a.en#2", "a.en#3", "b.en#1", "b.en#2"]  # per article: adding one moves no other
    assert arts[1].title == "Bakery"
    assert [p.name for p in article_files(tmp_path)] == ["a.en.md", "b.en.txt"]


def test_load_articles_empty_folder(tmp_path):
    write(tmp_path / "only.yaml", "title: x\n")
    with pytest.raises(ArticleError, match="no article found") as err:
        load_articles(tmp_path)
    assert str(tmp_path) in str(err.value)


def test_load_articles_missing_folder(tmp_path):
    with pytest.raises(ArticleError, match="articles folder not found") as err:
        load_articles(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(err.value)


def test_one_bad_article_fails_the_folder_with_its_name(tmp_path):
    write(tmp_path / "a.txt", "The tram opens in 2027.\n")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ArticleError, match="not UTF-8") as err:
        load_articles(tmp_path)
    assert str(tmp_path / "b.txt") in str(err.value)


@pytest.mark.parametrize("text, lang, expected", [
    ("Le Dr. Martin est arrivé. Il a parlé.", "fr", ["Le Dr. Martin est arrivé.", "Il a parlé."]),
    ("M. Dupont a dit « oui ». Puis il est parti.", "fr", ["M. Dupont a dit « oui ».", "Puis il est parti."]),
    ("« Les ventes vont-elles baisser ? » Le marché reste difficile.", "fr",
     ["« Les ventes vont-elles baisser ? »", "Le marché reste difficile."]),
    ("« Nous le ferons. » Le marché reste difficile.", "fr", ["« Nous le ferons. »", "Le marché reste difficile."]),
    ("« Les États-Unis représentent un marché », a-t-il assuré. Fin.", "fr",
     ["« Les États-Unis représentent un marché », a-t-il assuré.", "Fin."]),
])
def test_title_abbreviations_and_closing_quotes(text, lang, expected):
    assert [text[a:b] for a, b in split_sentences(text, lang)] == expected


def test_question_in_closing_quotes_is_never_an_answer(tmp_path):
    path = tmp_path / "q.fr.txt"
    path.write_text("« Les ventes vont-elles baisser ? » Le marché reste difficile pour la marque.\n",
                    encoding="utf-8")
    kinds = [(s.text, s.kind) for s in parse_article(path).sentences]
    assert kinds == [("« Les ventes vont-elles baisser ? »", "question"),
                     ("Le marché reste difficile pour la marque.", "prose")]


# ----- scanning a folder: unchanged files unread, bad files skipped ------------------------------

def test_read_folder_skips_bad_files_with_the_reason_and_keeps_the_others(tmp_path):
    write(tmp_path / "good.en.txt", "The tram opens in 2027. It has 19 stops.\n")
    (tmp_path / "latin1.txt").write_bytes("Le café ouvre à 8 h.".encode("latin-1"))
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.md", "   \n\n  ")
    write(tmp_path / "good.en.md", "Another file with the same id.\n")
    found, skipped = read_folder(tmp_path)
    assert list(found) == ["good.en"]
    reasons = {s.stamp.name: s.reason for s in skipped}
    assert set(reasons) == {"latin1.txt", "empty.txt", "blank.md", "good.en.txt"}
    assert "not UTF-8" in reasons["latin1.txt"] and "empty" in reasons["empty.txt"]
    assert "same id" in reasons["good.en.txt"] or "already has the id" in reasons["good.en.txt"]
    assert all(str(tmp_path) in r and "\n" not in r for r in reasons.values())


def test_read_folder_does_not_read_unchanged_files(tmp_path, monkeypatch):
    import bot.corpus.parse as ingest

    path = write(tmp_path / "a.txt", "The tram opens in 2027.\n")
    write(tmp_path / "a.yaml", "title: Tram\n")
    found, _ = read_folder(tmp_path)
    stamp = found["a"].stamp
    assert stamp == FileStamp.of(path) and stamp.sidecar is not None
    parsed = []
    monkeypatch.setattr(ingest, "parse_article", lambda p: parsed.append(p))
    again, _ = read_folder(tmp_path, {"a": stamp})
    assert again == {"a": stamp} and parsed == []  # same size, mtime and sidecar: not opened
    write(tmp_path / "a.yaml", "title: Tram line\n")  # a sidecar edit is a change too
    read_folder(tmp_path, {"a": stamp})
    assert parsed == [path]
    assert FileStamp.from_json(stamp.to_json()) == stamp
