"""Which URLs and addresses a fetch may go to: the checks of ``bot/corpus/fetch.py``, apart from HTTP.

* :func:`parse_url` / :func:`checked_url`: absolute http(s) URLs with a host and without credentials;
* :func:`is_public_address`: public unicast addresses only (IPv4 inside IPv6 judged by the IPv4);
* :class:`PublicResolver`: an aiohttp resolver that drops every non-public address, so that the check
  and the connection use the same lookup (no DNS rebinding);
* :func:`check_literal_host`: a literal IP host, checked before any connection;
* :func:`shown`, :func:`where`, :func:`problem`: a URL in a message, and the one-line FetchError
  naming the URL asked for and the hop that failed.
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from yarl import URL

from bot.config import FetchConfig
from bot.errors import FetchError

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # a NAT64 gateway forwards these to the IPv4 inside
ALLOW_HINT = "to fetch from your own network set `fetch: {allow_private_hosts: true}` in config.yaml"
SHOWN_URL_CHARS = 200  # longer URLs are cut in messages so that an error stays one readable line


class RefusedAddress(OSError):
    """Raised inside the resolver; aiohttp wraps it in ClientConnectorDNSError, fetch unwraps it."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves only to non-public addresses ({address})")
        self.host, self.address = host, address


def is_public_address(address: str) -> bool:
    """True if ``address`` (an IPv4 or IPv6 literal) is a public unicast address.

    IPv4 embedded in IPv6 (``::ffff:127.0.0.1``, NAT64 ``64:ff9b::``, 6to4, Teredo) is judged by the
    IPv4 inside, since that is where the packets can end up. Anything that does not parse is not public.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped or ip in NAT64:  # the IPv4 address itself, reached over IPv6
            return is_public_address(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
        tunnelled = ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if tunnelled is not None and not is_public_address(str(tunnelled)):
            return False
    return ip.is_global and not (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)


def public_results(results: list[ResolveResult]) -> list[ResolveResult]:
    """The resolved addresses a fetch may connect to: the public ones, in the resolver's order."""
    return [r for r in results if is_public_address(r["host"])]


class PublicResolver(AbstractResolver):
    """aiohttp resolver that returns only public addresses, so connections go to checked addresses."""

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner or DefaultResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        public = public_results(results)
        if not public:
            raise RefusedAddress(host, ", ".join(r["host"] for r in results) or "no address")
        return public

    async def close(self) -> None:
        await self._inner.close()


def shown(url: URL | str) -> str:
    """``url`` for a message: without credentials, on one line, cut when very long."""
    if isinstance(url, URL):
        url = str(url.with_user(None)) if url.absolute and (url.user or url.password) else str(url)
    text = " ".join(url.split())
    return text if len(text) <= SHOWN_URL_CHARS else text[:SHOWN_URL_CHARS - 1] + "…"


def where(asked: str, current: URL) -> str:
    """The URL asked for and, after a redirect, the hop that failed: how every message starts."""
    return asked if shown(current) == asked else f"{asked} (redirected to {shown(current)})"


def problem(asked: str, current: URL, message: str) -> FetchError:
    """A one-line FetchError naming the URL asked for and, after a redirect, the hop that failed."""
    return FetchError(f"{where(asked, current)}: {message}")


def parse_url(url: str) -> URL:
    """``url`` as an absolute http(s) URL without credentials, or a FetchError saying what is accepted."""
    text = url.strip()
    try:
        parsed = URL(text)
        return checked_url(shown(parsed), parsed)
    except (ValueError, TypeError):  # UnicodeError included: a host name IDNA cannot encode
        raise FetchError(f"{shown(text)}: not a valid web address") from None


def checked_url(asked: str, url: URL) -> URL:
    """The scheme, host and credential checks every hop must pass."""
    if not url.scheme:
        raise problem(asked, url, "not a web address: give the full URL, starting with https://")
    if url.scheme not in ("http", "https"):
        raise problem(asked, url, f"only http:// and https:// web pages can be fetched, not {url.scheme}:")
    if not url.host:
        raise problem(asked, url, "the URL has no host name")
    if url.user or url.password:
        raise problem(asked, url, "URLs with a user name or password are refused: remove the 'user:pass@' part")
    return url.with_fragment(None)


def check_literal_host(asked: str, url: URL, cfg: FetchConfig) -> None:
    """Refuse a literal IP host that is not public (aiohttp connects to those without resolving).

    Legacy numeric forms (``2130706433``, ``127.1``) are refused always: no real link uses them, and
    they exist to get past checks like this one.
    """
    host = url.raw_host or ""  # the form aiohttp connects to (IDNA-encoded names, bare IPv6)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if ":" in host or host.replace(".", "").isdigit():
            raise problem(asked, url, f"'{host}' is not a plain IP address or host name") from None
        return  # a host name: PublicResolver checks what it resolves to
    if not cfg.allow_private_hosts and not is_public_address(host):
        raise problem(asked, url, f"refused: {host} is a private, loopback or reserved address; {ALLOW_HINT}")
