"""SimCord fixtures: the real bot from create_bot(), the real engine on the seed article.

One engine (real models, seed article) is built per session and injected into every bot, so each
test starts a fresh bot in well under a second. ``@pytest.mark.botconfig(...)`` sets keys of the
``discord:`` config section for one test.

Every SimCord operation waits for the event it needs (the bot settled: its tasks and worker threads
done). SimCord bounds that wait with a wall-clock ``settle_timeout`` of 5 s by default, which a
rebuild on an overloaded machine exceeds; here it is a generous guard against a hung test instead
(``tests.waits.GUARD_S``), never a budget a slow machine can miss.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import simcord.interactions as sim_interactions
import yaml

from bot import create_bot
from bot.config import load_config
from bot.qa.engine import Engine
from tests.support.waits import GUARD_S

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config):
    config.addinivalue_line("markers", "botconfig(**discord_keys): discord config keys for the test's bot")
    config.addinivalue_line("markers", "private_corpus: the bot gets its own copy of the articles and index")
    config.addinivalue_line("markers", "feeds: the bot follows the loopback feed (tests/discord/test_articles.py)")


def pytest_collection_modifyitems(config, items):
    """Give every SimCord environment the settle guard (a test's own ``simcord`` options still apply)."""
    for item in items:
        if "simcord_env" in getattr(item, "fixturenames", ()):
            marker = item.get_closest_marker("simcord")
            options = {"settle_timeout": GUARD_S, **(marker.kwargs if marker else {})}
            item.add_marker(pytest.mark.simcord(**options), append=False)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "articles", root / "articles")
    (root / "config.yaml").write_text("articles_dir: articles\nindex_dir: index\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def shared_engine(corpus) -> Engine:
    return Engine(load_config(corpus / "config.yaml"))


def write_config(folder: Path, corpus: Path, discord_keys: dict) -> Path:
    # The engine timeout is a wall-clock limit too: the guard here, unless a test sets its own.
    data = {"articles_dir": str(corpus / "articles"), "index_dir": str(corpus / "index"),
            "discord": {"feedback_db": str(folder / "feedback.sqlite3"), "engine_timeout": GUARD_S,
                        **discord_keys}}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def bot_config(request, tmp_path, corpus) -> Path:
    marker = request.node.get_closest_marker("botconfig")
    return write_config(tmp_path, corpus, dict(marker.kwargs) if marker else {})


@pytest.fixture
def private_corpus(tmp_path) -> Path:
    """A copy of the articles with its own index, for tests that change files under the bot."""
    root = tmp_path / "private"
    shutil.copytree(ROOT / "articles", root / "articles")
    (root / "config.yaml").write_text("articles_dir: articles\nindex_dir: index\n", encoding="utf-8")
    return root


@pytest.fixture
def simcord_bot(request, bot_config, shared_engine):
    """The bot under test; ``@pytest.mark.private_corpus`` gives it an engine of its own."""
    if request.node.get_closest_marker("private_corpus"):
        root = request.getfixturevalue("private_corpus")
        return create_bot(bot_config, engine=Engine(load_config(root / "config.yaml")))
    return create_bot(bot_config, engine=shared_engine)


@pytest.fixture
def french_user(monkeypatch):
    """Make SimCord's users French: the interaction payload says locale 'fr'."""
    original = sim_interactions.base_payload

    def french(*args, **kwargs):
        record, payload = original(*args, **kwargs)
        payload["locale"] = "fr"
        return record, payload

    monkeypatch.setattr(sim_interactions, "base_payload", french)


@pytest.fixture
def world(simcord_env):
    """A guild with #general, a member alice, an admin and the env."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    alice = guild.add_member(simcord_env.create_user("alice"))
    return simcord_env, guild, channel, alice
