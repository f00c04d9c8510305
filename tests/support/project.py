"""Throwaway projects on disk (config.yaml, articles/, index/) with the seeded hashing encoders."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import Config, load_config

REPO = Path(__file__).resolve().parents[2]
XIAOMI_TXT = REPO / "articles" / "xiaomi-us.fr.txt"
XIAOMI_YAML = REPO / "articles" / "xiaomi-us.fr.yaml"

#: A small English article: headline question + statement, image slug, caption, three prose paragraphs.
TRAM_TEXT = """\
Will Halverton finally get its tram? The city council approved the Blue Line tram on Tuesday by nine \
votes to two.

halverton-blue-line-render

An artist's impression of a tram on Mill Street

The line will run 14.2 kilometres from Northgate to the Riverside hospital. It will have 19 stops, \
including an interchange at Central station. Dr. Alice Moreno, who leads the project, said the U.S. \
supplier would deliver the first trams in 2027.

Construction will begin in March 2026. The total cost is estimated at $612 million. Trams will run \
every seven minutes at peak times.
"""
TRAM_YAML = 'title: "Will Halverton finally get its tram?"\nsource: "test corpus"\nlanguage: en\n'

#: A second, unrelated English article (used to test reload and per-article search).
BAKERY_TEXT = """\
The old bakery on Station Road reopened on Monday after a fire last winter. The new owner, a former \
teacher, bakes bread with flour from a mill in the valley.

Queues formed before dawn on the first day. The bakery will open six days a week.
"""

#: The test configs' retrieval: seeded hashing encoders, no reader (tests of the reader turn it on).
HASHING = {"dense": {"backend": "hashing", "model": "64"}, "topic": {"backend": "hashing", "model": "32"},
           "reader": None}


def write_yaml(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@dataclass
class Project:
    """A throwaway project folder: config.yaml, articles/ and (once built) index/."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / "config.yaml"

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def index(self) -> Path:
        return self.root / "index"

    def config(self) -> Config:
        return load_config(self.config_path)

    def add_article(self, name: str, text: str, sidecar: str | None = None) -> Path:
        path = self.articles / name
        path.write_text(text, encoding="utf-8")
        if sidecar is not None:
            path.with_suffix(".yaml").write_text(sidecar, encoding="utf-8")
        return path

    def write_config(self, **retrieval) -> Path:
        """Rewrite config.yaml with the hashing encoders plus ``retrieval`` overrides."""
        data = {"articles_dir": "articles", "index_dir": "index", "retrieval": {**HASHING, **retrieval}}
        return write_yaml(self.config_path, data)


def create_project(root: Path, tram: bool = True, xiaomi: bool = False, bakery: bool = False,
                   **retrieval) -> Project:
    """A project in ``root`` with the chosen articles; both thresholds default to 0.0 (always answer)."""
    project = Project(root)
    project.articles.mkdir(parents=True)
    if tram:
        project.add_article("tram.en.txt", TRAM_TEXT, TRAM_YAML)
    if xiaomi:
        shutil.copy(XIAOMI_TXT, project.articles / XIAOMI_TXT.name)
        shutil.copy(XIAOMI_YAML, project.articles / XIAOMI_YAML.name)
    if bakery:
        project.add_article("bakery.en.txt", BAKERY_TEXT)
    retrieval.setdefault("abstain_threshold", 0.0)
    retrieval.setdefault("answer_threshold", 0.0)
    project.write_config(**retrieval)
    return project
