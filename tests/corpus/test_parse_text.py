"""bot/corpus/parse.py parse_text: an article given as a string splits as parse_article splits the same text
saved as ``<id>.txt`` with the same sidecar; its errors name ``where``, never a path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.corpus.parse import parse_article, parse_text
from bot.errors import ArticleError
from tests.support.project import BAKERY_TEXT, TRAM_TEXT, TRAM_YAML

FRENCH = ("Xiaomi veut entrer aux États-Unis.\n\nLe groupe a racheté des brevets à Intel « pour se protéger ». "
          "Hugo Barra, 40 ans, le dit.\n")
CASES = {
    "tram with its sidecar": ("tram.en", TRAM_TEXT, yaml.safe_load(TRAM_YAML), "en"),
    "bakery with none": ("bakery.en", BAKERY_TEXT, None, "en"),
    "french, language detected": ("xiaomi.fr", FRENCH, {"source": "Le Monde", "date": "2016-06-01"}, "fr"),
}


def saved(folder: Path, art_id: str, text: str, meta: dict | None) -> Path:
    path = folder / f"{art_id}.txt"
    path.write_text(text, encoding="utf-8")
    if meta is not None:
        path.with_suffix(".yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_parse_text_is_parse_article_of_the_same_text_saved(tmp_path, case):
    art_id, text, meta, language = CASES[case]
    from_file = parse_article(saved(tmp_path, art_id, text, meta))
    given = parse_text(text, art_id, meta)
    assert given.language == language
    assert given.sentences == from_file.sentences  # ids, offsets, kinds, text
    for field in ("id", "title", "language", "sha256", "source", "url", "date", "meta"):
        assert getattr(given, field) == getattr(from_file, field), field
    assert given.path == Path(f"{art_id}.txt") and given.stamp is None  # no file behind it


def test_meta_is_read_as_a_sidecar_is():
    # Only sidecar keys, and only those with a value, are kept; values become text as a sidecar's do.
    art = parse_text(TRAM_TEXT, "tram.en", {"title": "Tram", "date": 2026, "colour": "blue", "source": "",
                                            "language": "fr"})
    assert art.meta == {"title": "Tram", "date": "2026", "language": "fr"}
    assert (art.title, art.date, art.source, art.language) == ("Tram", "2026", None, "fr")
    assert parse_text(TRAM_TEXT, "tram.en", {"language": "xx"}).language == "en"  # not a language it stems


@pytest.mark.parametrize(("text", "message"), [
    ("  \n\n ", "the article is empty"),
    ("halverton-blue-line-render\n\nA caption without a full stop\n", "no prose sentence found"),
])
def test_errors_name_where_not_a_path(text, message):
    with pytest.raises(ArticleError, match=message) as err:
        parse_text(text, "tram.en", where="the upload tram.txt")
    assert str(err.value).startswith("the upload tram.txt: ")
    with pytest.raises(ArticleError) as default:
        parse_text(text, "tram.en")
    assert str(default.value).startswith("tram.en: ")  # the id, when no where is given


def test_a_leading_bom_splits_as_the_saved_file_does(tmp_path):
    text = "\ufeff" + TRAM_TEXT
    from_file = parse_article(saved(tmp_path, "tram.en", text, None))
    assert parse_text(text, "tram.en").sentences == from_file.sentences
