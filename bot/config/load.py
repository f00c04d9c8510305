"""config.yaml → the dataclasses of ``bot/config/values.py``: parsing and validation.

Paths in the file are relative to the file itself. Every problem is reported as one
:class:`ConfigError` naming the key and the file; every number of a section is checked against
one table (``RANGES``).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.config.values import (
    BACKENDS,
    MIN_FEED_INTERVAL,
    Config,
    DiscordConfig,
    EncoderConfig,
    FeedConfig,
    FetchConfig,
    MetricsConfig,
    PollingConfig,
    ReaderConfig,
    RetrievalConfig,
    SummaryConfig,
)
from bot.errors import ConfigError, one_line


def _fail(path: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{path}: key '{key}': {problem}")


def _known_keys(path: Path, where: str, keys: Iterable[Any], allowed: Iterable[str]) -> None:
    """Refuse the first of ``keys`` (as written) that is not ``allowed``, at every level of the file
    (``where``: the section's dotted name, "" at the top): the message lists the allowed keys and
    suggests the closest one, so ``retreival:`` gets "did you mean 'retrieval'?"."""
    allowed = list(allowed)
    for key in keys:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f", did you mean '{close[0]}'?" if close else ""
        raise _fail(path, f"{where}.{key}" if where else str(key),
                    f"unknown key{hint} (allowed: {', '.join(allowed)})")


def _encoder(path: Path, key: str, value: Any, allow_none: bool) -> EncoderConfig | None:
    if value is None and allow_none:
        return None
    if isinstance(value, str):
        value = {"backend": value}
    if not isinstance(value, dict) or "backend" not in value:
        raise _fail(path, key, f"expected a mapping with 'backend' (one of {', '.join(BACKENDS)}), got {value!r}")
    _known_keys(path, key, value, ("backend", "model"))
    backend = value["backend"]
    if backend not in BACKENDS:
        raise _fail(path, f"{key}.backend", f"expected one of {', '.join(BACKENDS)}, got {backend!r}")
    model = value.get("model")
    if backend == "sentence-transformers" and not model:
        raise _fail(path, f"{key}.model", "sentence-transformers needs a model name or path")
    if model is not None and not isinstance(model, str):
        raise _fail(path, f"{key}.model", f"expected a string, got {model!r}")
    if backend == "sentence-transformers" and model and model.startswith((".", "/")):
        model = str((path.parent / model).resolve())
    return EncoderConfig(backend, model)


#: How many candidates the reader may read: each costs about 30 tokens of network (docs/research.md, "The reader").
READER_K = (1, 20)


def _reader(path: Path, key: str, value: Any) -> ReaderConfig | None:
    """``reader: null`` (off, the default), ``true``/``{}`` (on, the defaults), or a mapping with ``k``,
    ``fused_weight`` and ``weights`` (all optional)."""
    if value is None or value is False:
        return None
    if value is True:
        value = {}
    if not isinstance(value, dict):
        raise _fail(path, key, f"expected a mapping with 'k', 'fused_weight' and 'weights' (or null to turn the "
                               f"reader off), got {value!r}")
    _known_keys(path, key, value, ("k", "fused_weight", "weights"))
    k = value.get("k", ReaderConfig.k)
    if isinstance(k, bool) or not isinstance(k, int) or not READER_K[0] <= k <= READER_K[1]:
        raise _fail(path, f"{key}.k", f"expected a number of sentences from {READER_K[0]} to {READER_K[1]}, got {k!r}")
    weight = value.get("fused_weight", ReaderConfig.fused_weight)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1000:
        raise _fail(path, f"{key}.fused_weight", f"expected a weight from 0 to 1000, got {weight!r}")
    weights = value.get("weights")
    if weights is not None and (not isinstance(weights, str) or not weights.strip()):
        raise _fail(path, f"{key}.weights",
                    f"expected a folder path (or null for the shipped weights), got {weights!r}")
    return ReaderConfig(k, float(weight), (path.parent / weights).resolve() if weights else None)


def _probability(path: Path, key: str, value: Any) -> float | None:
    """A threshold on a calibrated probability: null (the calibration's own) or a number from 0 to 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise _fail(path, key, f"expected a probability from 0 to 1 (or null for the calibrated one), got {value!r}")
    return float(value)


def _section(path: Path, data: dict, name: str, cls: type, nested: dict[str, Any]) -> Any:
    """Build dataclass ``cls`` from ``data[name]``, checking key names and scalar types."""
    raw = data.get(name) or {}
    if not isinstance(raw, dict):
        raise _fail(path, name, f"expected a mapping, got {type(raw).__name__}")
    kwargs: dict[str, Any] = {}
    _known_keys(path, name, raw, [f.name for f in dataclasses.fields(cls)])
    defaults = cls()
    for key, value in raw.items():
        if key in nested:
            kwargs[key] = nested[key](path, f"{name}.{key}", value)
            continue
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise _fail(path, f"{name}.{key}", f"expected {expected.__name__}, got {value!r}")
        if expected in (int, float) and value < 0 and key not in RANGES.get(name, {}):
            raise _fail(path, f"{name}.{key}", f"expected a value >= 0, got {value!r}")
        kwargs[key] = value
    return _in_range(path, name, cls(**kwargs))


#: Every number of the sections read by ``_section``: (what it counts, lowest, highest). Past these a
#: setting is a typo, not a choice: FAISS aborts the process on an HNSW graph of degree 0, a weight
#: of 50 drowns every other signal, a 0 s timeout or a 10 GB page is never meant. One table, so every
#: numeric key is checked the same way and the message names the key and the allowed range.
RANGES: dict[str, dict[str, tuple[str, float, float]]] = {
    "retrieval": {
        "sentence_weight": ("a weight", 0.0, 10.0),
        "lexical_weight": ("a weight", 0.0, 10.0),
        "article_weight": ("a weight", 0.0, 10.0),
        "article_lexical_weight": ("a weight", 0.0, 10.0),
        "recency_weight": ("a weight", 0.0, 10.0),
        "recency_half_life_days": ("a number of days", 0.01, 3650.0),
        "translate_min_sim": ("a cosine", 0.0, 1.0),
        "candidates": ("a number of rows", 1, 100_000),
        "ann_threshold": ("a number of sentences", 1, 1_000_000_000),
        "hnsw_m": ("a graph degree", 4, 256),
        "ef_search": ("a search breadth", 8, 100_000),
        "max_question_chars": ("a number of characters", 20, 100_000),
    },
    "summary": {
        "mmr_lambda": ("a weight", 0.0, 1.0),
        "position_prior": ("a weight", 0.0, 10.0),
    },
    "metrics": {"port": ("a TCP port", 0, 65535)},
    "feed_polling": {
        "interval": ("seconds", MIN_FEED_INTERVAL, 7 * 86_400),
        "max_backoff": ("seconds", MIN_FEED_INTERVAL, 30 * 86_400),
        "max_items": ("a number of items", 1, 1000),
    },
    "fetch": {
        "max_bytes": ("a size in bytes", 1024, 100_000_000),
        "timeout": ("seconds", 0.001, 300.0),
        "max_redirects": ("a number of redirects", 0, 20),
    },
}


def _in_range(path: Path, section: str, cfg: Any) -> Any:
    for key, (unit, low, high) in RANGES.get(section, {}).items():
        value = getattr(cfg, key)
        if not low <= value <= high:
            raise _fail(path, f"{section}.{key}", f"expected {unit} from {low:g} to {high:g}, got {value!r}")
    return cfg


def _metrics(path: Path, data: dict) -> MetricsConfig:
    cfg = _section(path, data, "metrics", MetricsConfig, {})
    if not cfg.host.strip():  # an empty host would bind every interface: never by accident
        raise _fail(path, "metrics.host", "expected an address to bind, e.g. 127.0.0.1 (0.0.0.0 for every interface)")
    return cfg


def _polling(path: Path, data: dict) -> PollingConfig:
    cfg = _section(path, data, "feed_polling", PollingConfig, {})
    if not cfg.state.strip():
        raise _fail(path, "feed_polling.state", "expected a file path, e.g. feeds.json")
    return dataclasses.replace(cfg, state=str((path.parent / cfg.state).resolve()))


def _is_id(value: Any) -> bool:
    """A Discord id: a positive whole number (YAML's true/false are not)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _feeds(path: Path, raw: Any) -> tuple[FeedConfig, ...]:
    """``feeds:``: a list of feed URLs, or of mappings ``{url, server, announce_channel, interval}``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(path, "feeds", f"expected a list of feed URLs (or of mappings with 'url:'), got {raw!r}")
    out: list[FeedConfig] = []
    for n, entry in enumerate(raw):
        key = f"feeds[{n}]"
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str) or not entry["url"].strip():
            raise _fail(path, key, f"expected a feed URL or a mapping with 'url:', got {entry!r}")
        _known_keys(path, key, entry, [f.name for f in dataclasses.fields(FeedConfig)])
        url = entry["url"].strip()
        if not url.lower().startswith(("http://", "https://")):
            raise _fail(path, f"{key}.url", f"expected an http:// or https:// feed URL, got {url!r}")
        server, channel, interval = entry.get("server"), entry.get("announce_channel"), entry.get("interval")
        if server is not None and not _is_id(server):
            raise _fail(path, f"{key}.server", f"expected the Discord server's id (a number), got {server!r}")
        if isinstance(channel, str) and channel.strip("# "):
            channel = channel.strip("# ")
            if server is None:
                raise _fail(path, f"{key}.announce_channel", "a channel name needs the feed's server: set "
                                                             "'server:' or give the channel's id")
        elif channel is not None and not _is_id(channel):
            raise _fail(path, f"{key}.announce_channel", f"expected a channel id (a number) or name, got {channel!r}")
        if interval is not None and (isinstance(interval, bool) or not isinstance(interval, int | float)
                                     or not MIN_FEED_INTERVAL <= interval <= 7 * 86_400):
            raise _fail(path, f"{key}.interval", f"expected seconds from {MIN_FEED_INTERVAL:g} to 604800 (feed "
                                                 f"servers ban bots that poll more often), got {interval!r}")
        if url in {f.url for f in out}:
            raise _fail(path, f"{key}.url", f"{url} is listed twice")
        out.append(FeedConfig(url, str(server) if server is not None else None, channel,
                              float(interval) if interval is not None else None))
    return tuple(out)


def _fetch(path: Path, data: dict) -> FetchConfig:
    """The ``fetch:`` section: key names, types and ranges checked by _section, then the user agent."""
    cfg = _section(path, data, "fetch", FetchConfig, {})
    agent = cfg.user_agent
    if not agent.strip() or not agent.isprintable() or not agent.isascii():
        raise _fail(path, "fetch.user_agent", f"expected one line of printable ASCII text, got {agent!r}")
    return cfg


def load_config(path: str | Path = "config.yaml") -> Config:
    """Read and validate ``path``; raise ConfigError with the key and file on any problem."""
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found (run from the project folder or pass --config PATH)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid YAML: {one_line(err)}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    _known_keys(path, "", data, sorted(("articles_dir", "index_dir", "default_article", "retrieval", "summary",
                                        "threads", "discord", "fetch", "metrics", "feeds", "feed_polling")))
    base = path.parent

    def folder(key: str, default: str) -> Path:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise _fail(path, key, f"expected a folder path, got {value!r}")
        return (base / value).resolve()

    default_article = data.get("default_article")
    if default_article is not None and not isinstance(default_article, str):
        raise _fail(path, "default_article", f"expected an article id or null, got {default_article!r}")
    threads = data.get("threads", 2)
    if not isinstance(threads, int) or isinstance(threads, bool) or not 1 <= threads <= 64:
        raise _fail(path, "threads", f"expected a whole number from 1 to 64, got {threads!r}")
    retrieval = _section(
        path, data, "retrieval", RetrievalConfig,
        {"dense": lambda p, k, v: _encoder(p, k, v, False), "topic": lambda p, k, v: _encoder(p, k, v, True),
         "reader": _reader, "abstain_threshold": _probability, "answer_threshold": _probability},
    )
    summary = _section(path, data, "summary", SummaryConfig, {})
    discord_cfg = _discord(path, data.get("discord") or {})
    return Config(
        path=path,
        articles_dir=folder("articles_dir", "articles"),
        index_dir=folder("index_dir", "index"),
        default_article=default_article,
        retrieval=retrieval,
        summary=summary,
        discord=discord_cfg,
        threads=threads,
        fetch=_fetch(path, data),
        metrics=_metrics(path, data),
        feeds=_feeds(path, data.get("feeds")),
        feed_polling=_polling(path, data),
        raw=data,
    )


def _ids(path: Path, key: str, value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(_is_id(v) for v in value):
        raise _fail(path, key, f"expected a list of Discord ids (numbers), got {value!r}")
    return tuple(value)


def _channels(path: Path, key: str, value: Any) -> tuple[int | str, ...]:
    """Channel ids (numbers) or channel names (strings, without '#')."""
    if value is None:
        return ()
    ok = isinstance(value, list) and all(_is_id(v) or (isinstance(v, str) and v.strip("# ")) for v in value)
    if not ok:
        raise _fail(path, key, f"expected a list of channel ids or names, got {value!r}")
    return tuple(v.strip("# ") if isinstance(v, str) else v for v in value)


def _discord(path: Path, raw: Any) -> DiscordConfig:
    """The ``discord:`` section: ids, modes, cooldown and limits, each checked."""
    if not isinstance(raw, dict):
        raise _fail(path, "discord", f"expected a mapping, got {type(raw).__name__}")
    _known_keys(path, "discord", raw, sorted(("application_id", "dev_guild_ids", "question_channels", "thread_mode",
                                              "dms", "cooldown", "max_concurrency", "engine_timeout", "feedback_db",
                                              "examples", "retention_days")))
    app_id = raw.get("application_id")
    if app_id is not None and not _is_id(app_id):
        raise _fail(path, "discord.application_id", f"expected the application's numeric id, got {app_id!r}")
    thread_mode = raw.get("thread_mode", False)
    if not isinstance(thread_mode, bool):
        raise _fail(path, "discord.thread_mode", f"expected true or false, got {thread_mode!r}")
    dms = raw.get("dms", "answer")
    if dms not in ("answer", "decline"):
        raise _fail(path, "discord.dms", f"expected 'answer' or 'decline', got {dms!r}")
    cooldown = raw.get("cooldown") or {}
    if not isinstance(cooldown, dict):
        raise _fail(path, "discord.cooldown", "expected a mapping with 'rate' (questions) and 'per' (seconds)")
    _known_keys(path, "discord.cooldown", cooldown, ("rate", "per"))
    rate, per = cooldown.get("rate", 3), cooldown.get("per", 30)
    if not isinstance(rate, int) or isinstance(rate, bool) or not 1 <= rate <= 1000:
        raise _fail(path, "discord.cooldown.rate", f"expected a whole number from 1 to 1000 (>= 1), got {rate!r}")
    if not isinstance(per, int | float) or isinstance(per, bool) or not 0 <= per <= 86_400:
        raise _fail(path, "discord.cooldown.per", f"expected seconds from 0 to 86400 (>= 0), got {per!r}")
    concurrency = raw.get("max_concurrency", 4)
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or not 1 <= concurrency <= 64:
        raise _fail(path, "discord.max_concurrency", f"expected 1 to 64, got {concurrency!r}")
    timeout = raw.get("engine_timeout", 10)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not 0 < timeout <= 600:
        raise _fail(path, "discord.engine_timeout", f"expected seconds between 0 and 600, got {timeout!r}")
    db = raw.get("feedback_db", "feedback.sqlite3")
    if not isinstance(db, str) or not db.strip():
        raise _fail(path, "discord.feedback_db", f"expected a file path, got {db!r}")
    retention = raw.get("retention_days", 90)
    if retention is not None and (not isinstance(retention, int) or isinstance(retention, bool)
                                  or not 1 <= retention <= 3650):
        raise _fail(path, "discord.retention_days", f"expected days from 1 to 3650 (or null: keep), got {retention!r}")
    examples = raw.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
        raise _fail(path, "discord.examples", f"expected a list of example questions, got {examples!r}")
    return DiscordConfig(
        examples=tuple(e.strip() for e in examples),
        application_id=app_id,
        dev_guild_ids=_ids(path, "discord.dev_guild_ids", raw.get("dev_guild_ids")),
        question_channels=_channels(path, "discord.question_channels", raw.get("question_channels")),
        thread_mode=thread_mode,
        dms=dms,
        cooldown_rate=rate,
        cooldown_per=float(per),
        max_concurrency=concurrency,
        engine_timeout=float(timeout),
        feedback_db=(path.parent / db).resolve(),
        retention_days=retention,
    )
