"""Prometheus metrics and a readiness check, served on ``metrics.host:metrics.port`` (127.0.0.1:9108).

Off by default (``metrics: {enabled: true}`` turns it on). Two paths, served by aiohttp inside the
bot's own event loop (no extra thread):

- ``/metrics``: the Prometheus text format, made by the standard client library (prometheus-client).
  Process counters: ``articlebot_questions_total{outcome}``, ``articlebot_answer_seconds`` (histogram),
  ``articlebot_engine_errors_total``; read at scrape time: ``articlebot_index_sentences``,
  ``articlebot_index_articles``, ``articlebot_gateway_connected``, ``articlebot_ready``, and the all-time
  ``articlebot_journal_questions{outcome}`` counted in the journal (a restart does not reset it).
- ``/ready``: 200 "ready" when the gateway is connected and the index loaded, else 503 with what is
  missing: for a supervisor's health check (see the systemd example in the README).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from bot.discord.journal import OUTCOMES
from bot.errors import ConfigError

if TYPE_CHECKING:  # annotations only
    from bot.discord.app import ArticleBot

log = logging.getLogger(__name__)


def cannot_serve(host: str, port: int, err: OSError) -> ConfigError:
    """What ``run`` and ``run --check`` say when ``host:port`` cannot be served."""
    return ConfigError(f"metrics.port: cannot serve metrics on {host}:{port} ({err.strerror or err}); "
                       "pick a free port (is the bot already running?) or set metrics.enabled: false")


def check_port(host: str, port: int) -> None:
    """Raise :func:`cannot_serve` unless ``host:port`` can be bound now (bound and let go at once, with
    the address reuse aiohttp's server uses): ``article-bot run --check``."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as err:
        raise cannot_serve(host, port, err) from None


#: Answer latency buckets (seconds): the warm path is ~20 ms, a cold or contended one up to seconds.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class _JournalCollector:
    """All-time questions by outcome, read from the journal at each scrape."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    def collect(self):
        family = GaugeMetricFamily("articlebot_journal_questions", "Questions in the journal, by outcome "
                                   "(all time within the retention period)", labels=["outcome"])
        stats = self.bot.journal.outcome_totals()
        for outcome in OUTCOMES:
            family.add_metric([outcome], float((stats or {}).get(outcome, 0)))
        yield family


class Metrics:
    """The bot's metrics (one registry per bot, so tests and restarts never share counters)."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot
        self.registry = CollectorRegistry()
        self.questions = Counter("articlebot_questions", "Questions answered since start, by outcome",
                                 ["outcome"], registry=self.registry)
        for outcome in OUTCOMES:
            self.questions.labels(outcome)
        self.latency = Histogram("articlebot_answer_seconds", "Time to answer a question (engine + journal)",
                                 buckets=BUCKETS, registry=self.registry)
        self.errors = Counter("articlebot_engine_errors", "Engine calls that failed or timed out",
                              registry=self.registry)
        index = lambda: self.bot.engine.index if self.bot.engine else None  # noqa: E731
        Gauge("articlebot_index_sentences", "Sentences in the loaded index",
              registry=self.registry).set_function(lambda: len(index().rows) if index() else 0)
        Gauge("articlebot_index_articles", "Articles in the loaded index",
              registry=self.registry).set_function(lambda: len(index().articles) if index() else 0)
        Gauge("articlebot_gateway_connected", "1 when the Discord gateway is connected",
              registry=self.registry).set_function(lambda: float(self.gateway_connected()))
        Gauge("articlebot_ready", "1 when the gateway is connected and the index loaded",
              registry=self.registry).set_function(lambda: float(not self.missing()))
        self.registry.register(_JournalCollector(bot))
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        # discord.py keeps is_ready() true while it reconnects: the gateway's own events tell.
        self._connected = False
        bot.add_listener(self._up, "on_ready")
        bot.add_listener(self._up, "on_resumed")
        bot.add_listener(self._down, "on_disconnect")

    async def _up(self) -> None:
        self._connected = True

    async def _down(self) -> None:
        self._connected = False

    def observe(self, outcome: str, seconds: float) -> None:
        self.questions.labels(outcome).inc()
        self.latency.observe(seconds)
        if outcome == "error":
            self.errors.inc()

    def gateway_connected(self) -> bool:
        return self._connected and self.bot.is_ready() and not self.bot.is_closed()

    def missing(self) -> list[str]:
        """What keeps the bot from being ready (empty when ready)."""
        out = []
        if not self.gateway_connected():
            out.append("gateway not connected")
        if self.bot.engine is None:
            out.append("index not loaded")
        return out

    async def _metrics(self, request: web.Request) -> web.Response:
        body = await asyncio.to_thread(generate_latest, self.registry)  # reads the journal: off the loop
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _ready(self, request: web.Request) -> web.Response:
        missing = self.missing()
        return web.Response(status=503 if missing else 200, text="; ".join(missing) if missing else "ready")

    async def start(self, host: str, port: int) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/ready", self._ready)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = self._runner.addresses[0][1]
        log.info("metrics on http://%s:%d/metrics, readiness on /ready", host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
