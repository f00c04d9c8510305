"""Shared fixtures: small article folders and configs that use the seeded hashing encoder.

Nothing here loads a real model: ``dense`` and ``topic`` are both ``backend: hashing``, so an index of
a few sentences builds in milliseconds and every test runs offline.
"""

from __future__ import annotations

import shutil

import pytest

from tests.support.project import Project, create_project


@pytest.fixture
def make_project(tmp_path):
    """Factory: ``make_project(tram=True, xiaomi=False, bakery=False, **retrieval)`` → Project.

    ``abstain_threshold`` defaults to 0.0 so the hashing encoder always answers; pass 1.0 to make
    the engine abstain on every question.
    """
    counter = iter(range(1000))

    def make(**kwargs) -> Project:
        return create_project(tmp_path / f"project{next(counter)}", **kwargs)

    return make


@pytest.fixture(scope="session")
def _built_template(tmp_path_factory) -> Project:
    """Tram + bakery articles with their index built and saved once per session."""
    from bot.qa.engine import Engine

    project = create_project(tmp_path_factory.mktemp("template") / "project", bakery=True)
    Engine(project.config())
    return project


@pytest.fixture
def built_project(tmp_path, _built_template) -> Project:
    """A private copy of the tram + bakery project with an up-to-date saved index."""
    root = tmp_path / "built"
    shutil.copytree(_built_template.root, root)
    return Project(root)


@pytest.fixture
def project(make_project) -> Project:
    """The tram article alone, answering every question."""
    return make_project()


@pytest.fixture
def encoders():
    """The hashing encoders the test configs name, as the index expects them."""
    from bot.config import EncoderConfig
    from bot.index.encoders import load_encoder

    return {"dense": load_encoder(EncoderConfig("hashing", "64")),
            "topic": load_encoder(EncoderConfig("hashing", "32"))}


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 serving the pages and feeds a test sets (``bot/devtools/pages.py``)."""
    from bot.devtools.pages import PageServer

    with PageServer() as s:
        yield s
