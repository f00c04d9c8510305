"""config.yaml → frozen, validated dataclasses: ``from bot.config import Config, load_config``.

Paths in the file are relative to the file itself. Every problem is reported as one
:class:`ConfigError` naming the key and the file. The Discord token never lives here: it is read
from the environment by the ``run`` command only.

The values (the dataclasses, their defaults, the shared constants) are ``values.py``; reading and
checking the file is ``load.py``. This package is their one public face.
"""

from bot.config.load import RANGES, READER_K, load_config
from bot.config.values import (
    BACKENDS,
    MIN_FEED_INTERVAL,
    USER_AGENT,
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

__all__ = [
    "BACKENDS",
    "MIN_FEED_INTERVAL",
    "RANGES",
    "READER_K",
    "USER_AGENT",
    "Config",
    "DiscordConfig",
    "EncoderConfig",
    "FeedConfig",
    "FetchConfig",
    "MetricsConfig",
    "PollingConfig",
    "ReaderConfig",
    "RetrievalConfig",
    "SummaryConfig",
    "load_config",
]
