"""``article-bot eval --distractors``: the library padded with articles made from SQuAD-format files.

The files here are tiny ones the test writes (the real reading-comprehension data is read from outside the
repository, never committed); the encoders are the seeded hashing ones of the test projects.
"""

from __future__ import annotations

import json

import pytest

from bot.cli.main import main
from bot.devtools.distractors import PARAGRAPHS, distractors
from bot.errors import InputError
from tests.support.project import write_yaml

PARAGRAPH_EN = "The river flooded the old town in spring. Boats carried people to the hill. The water fell in May."
PARAGRAPH_FR = "Le fleuve a inondé la vieille ville au printemps. Des barques ont porté les gens sur la colline."


def squad(path, language: str, titles: list[str], paragraphs: int = 1) -> None:
    text = PARAGRAPH_EN if language == "en" else PARAGRAPH_FR
    data = [{"title": t, "paragraphs": [{"context": f"{text} ({t} {i})", "qas": []} for i in range(paragraphs)]}
            for t in titles]
    path.write_text(json.dumps({"data": data}), encoding="utf-8")


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "qa-data"
    folder.mkdir()
    squad(folder / "en.json", "en", ["River_<i>Town</i>", "Harbour"], paragraphs=PARAGRAPHS + 1)
    squad(folder / "fr.json", "fr", ["Fleuve", "Colline", "Vallée"])
    return folder


def test_distractors_take_languages_in_turn_and_split_long_articles(data):
    made = distractors(data, 6)
    assert [d.language for d in made] == ["fr", "en", "fr", "en", "en", "en"]
    assert {d.title for d in made} == {"Fleuve", "Colline", "River Town", "Harbour"}  # no markup
    assert sum(d.title == "Harbour" for d in made) == 2  # PARAGRAPHS + 1 paragraphs: two articles
    assert distractors(data, 3) == made[:3]  # the first N are always the same
    with pytest.raises(InputError, match="6 distractor articles can be made from its files, not 7"):
        distractors(data, 7)


def test_the_articles_kept_for_fitting_are_never_asked_in(data):
    """One title in four (by a stable hash) is the fit's: "Vallée" here; eval --distractors never uses it."""
    fit = distractors(data, 1, pool="fit")
    assert [(d.title, d.id) for d in fit] == [("Vallée", "distractor-fit-0001-vallee")]
    assert "Vallée" not in {d.title for d in distractors(data, 6)}


def test_eval_with_distractors_prints_one_row_per_size_and_leaves_the_articles_alone(make_project, data, capsys,
                                                                                      tmp_path):
    project = make_project()
    before = sorted(p.name for p in project.articles.iterdir())
    questions = write_yaml(tmp_path / "q.yaml", [{"q": "how many stops will the tram have", "gold": ["19 stops"]},
                                                 {"q": "what is the capital of peru", "gold": []}])
    cache = tmp_path / "cache"
    argv = ["eval", str(questions), "--config", str(project.config_path), "--distractors", "0,3,6",
            "--distractor-data", str(data), "--distractor-cache", str(cache), "--json"]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    rows = json.loads(out[-1])["growth"]
    assert [(r["distractors"], r["articles"]) for r in rows] == [(0, 1), (3, 4), (6, 7)]
    assert all(0 <= r["top1"] <= 1 and r["p50_ms"] > 0 for r in rows)
    assert out[0].split() == ["extra", "articles", "sents", "top1", "top3", "f_abst", "trap", "unrel", "p50", "ms"]
    assert sorted(p.name for p in project.articles.iterdir()) == before  # distractors never reach articles/
    assert len(list((cache / "embeddings").glob("*.npz"))) == 7  # every article's vectors, kept for the next run


def test_distractors_need_their_data(make_project, tmp_path, capsys):
    questions = write_yaml(tmp_path / "q.yaml", [{"q": "how many stops", "gold": ["19 stops"]}])
    assert main(["eval", str(questions), "--config", str(make_project().config_path), "--distractors", "5"]) == 2
    assert "--distractors needs --distractor-data DIR" in capsys.readouterr().err
    assert main(["eval", str(questions), "--config", str(make_project().config_path), "--distractors", "5",
                 "--distractor-data", str(tmp_path)]) == 2
    assert "no SQuAD-format .json files" in capsys.readouterr().err
