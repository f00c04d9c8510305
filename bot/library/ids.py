"""What makes an article new: its id (given, or made from its title) and the duplicate check.

One check serves ``article-bot add``, ``/article add`` and feeds: an article is refused when an
article the same audience sees has the same source URL (compared without case, trailing slash or
fragment) or the same text (SHA-256 of the stripped text). The audience: a server sees the shared
articles and its own; another server's private copy neither blocks an add nor is named.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.errors import InputError

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
#: Ids made from titles are cut at this many characters (whole words).
SLUG_CHARS = 60


class Duplicate(InputError):
    """The source URL or the text is already in the library: a feed counts it, it is no failure."""


def slug(text: str) -> str:
    """``"Halverton approves Blue Line tram!"`` → ``halverton-approves-blue-line-tram`` (ASCII, whole words)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > SLUG_CHARS:
            break
        out = f"{out}-{w}" if out else w
    return out


def base_id(title: str, fallback: str) -> str:
    """The id an article gets when none is given: its title's slug, else ``fallback`` (from its file
    name or URL; for an article already prepared, its id without a ``-N`` suffix)."""
    return slug(title) or fallback


def without_suffix(art_id: str) -> str:
    """``tram-2`` → ``tram``: what a numbered id was made from."""
    return re.sub(r"-\d+$", "", art_id)


def unique_id(base: str, taken: set[str] | frozenset[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... : the first not in ``taken``."""
    art_id, n = base, 2
    while art_id in taken:
        art_id, n = f"{base}-{n}", n + 1
    return art_id


def check_id(art_id: str) -> None:
    """Refuse an id that cannot be a file name of ``articles/``."""
    if not _ID.match(art_id):
        raise InputError(f"{art_id!r} is not a usable article id: use letters, digits, '.', '-' or '_' "
                         "(at most 80 characters, starting with a letter or digit)")


def text_digest(text: str) -> str:
    """What "the same text" means: the SHA-256 of the text without its outer whitespace."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def normal_url(url: str) -> str:
    """What "the same source" means: no outer spaces, trailing slash, fragment or case."""
    return url.strip().split("#")[0].rstrip("/").lower()


@dataclass(frozen=True)
class Held:
    """An article the check compares with, and how a message names it (``already in the library as
    'tram'``, ``also item 'tram' of this poll``). ``text`` is called only when the URLs differ (it may
    read a file); None: unreadable, so never "the same text"."""

    place: str
    url: str | None
    server: str | None
    text: Callable[[], str | None]


def check_duplicate(url: str | None, text: str, origin: str, server: str | None, held: Iterable[Held]) -> None:
    """Raise :class:`Duplicate` when an article ``server`` sees (``server`` None: the shared ones) has
    this source ``url`` or this ``text``; ``origin`` names the newcomer in the message."""
    digest = text_digest(text)
    for other in held:
        if other.server not in (None, server):
            continue  # another server's copy: each server's articles are its own
        if url and other.url and normal_url(other.url) == normal_url(url):
            raise Duplicate(f"{url} is {other.place}")
        theirs = other.text()
        if theirs is not None and text_digest(theirs) == digest:
            raise Duplicate(f"{origin}: the same text is {other.place}")
