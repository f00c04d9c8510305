"""The slash commands Discord holds, compared with the ones a sync would send (``ArticleBot.sync_commands``).

Discord rate-limits syncs, so at start-up the bot syncs only where Discord's commands differ from the
tree's; asking costs one GET per scope (the global commands, or each dev guild's). Both sides are
payloads: the one discord.py's ``CommandTree.sync`` would send (translations included) and the one
Discord returns with ``with_localizations`` (``CommandTree.fetch_commands()`` asks without it, and then
Discord leaves every translation out, so they could never match). ``comparable`` takes out what
differs only in form: what Discord assigns (ids, versions), defaults it leaves out, the permissions'
number as a string.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.http import Route

Payload = dict[str, Any]

#: What Discord adds to the commands it returns, and never takes in a sync.
ASSIGNED = frozenset({"id", "application_id", "guild_id", "version", "default_permission",
                      "name_localized", "description_localized"})

#: Fields a command may leave to Discord (None): Discord then holds the default it picked
#: (integration_types [0], or [0, 1] when user installs are on in the portal), which counts as the same;
#: so an explicit value there, later left to Discord, is not seen as a change (`article-bot sync` sends it).
DEFAULTED = frozenset({"integration_types", "contexts"})

#: Fields of global commands only: Discord ignores them on a guild's commands.
GLOBAL_ONLY = frozenset({"integration_types", "contexts", "dm_permission"})

#: Fields whose default is not an empty value: what Discord assumes when a command leaves them out.
DEFAULTS: dict[str, Any] = {"dm_permission": True}


async def sent(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> list[Payload]:
    """The commands ``tree.sync(guild=guild)`` would send, built as discord.py builds them."""
    commands = tree.get_commands(guild=guild)
    if tree.translator is None:
        return [c.to_dict(tree) for c in commands]
    return [await c.get_translated_payload(tree, tree.translator) for c in commands]


async def held(client: discord.Client, guild: discord.abc.Snowflake | None) -> list[Payload]:
    """The commands Discord holds for ``client``'s application (globally, or in ``guild``), translations
    included."""
    if client.application_id is None:
        raise app_commands.MissingApplicationID
    if guild is None:
        route = Route("GET", "/applications/{application_id}/commands", application_id=client.application_id)
    else:
        route = Route("GET", "/applications/{application_id}/guilds/{guild_id}/commands",
                      application_id=client.application_id, guild_id=guild.id)
    return await client.http.request(route, params={"with_localizations": "true"})


def by_default(key: str, value: Any) -> bool:
    """Whether ``value`` is what Discord assumes when a command leaves ``key`` out (and may leave out
    of what it returns): None, False, "", [] or {}, or the default in ``DEFAULTS``."""
    if key in DEFAULTS:
        return value is None or value == DEFAULTS[key]
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def comparable(value: Any, key: str = "") -> Any:
    """``value`` (a command or a part of one) as far as Discord tells it apart: without what Discord
    assigns, without defaults, ``default_member_permissions`` as a string (Discord's form)."""
    if isinstance(value, dict):
        kept = {k: comparable(v, k) for k, v in value.items() if k not in ASSIGNED}
        return {k: v for k, v in kept.items() if not by_default(k, v)}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if key == "default_member_permissions" and value is not None:
        return str(value)
    return value


def differences(ours: list[Payload], theirs: list[Payload], guild: bool) -> str:
    """What Discord holds that differs from the commands a sync would send, in words ("" when Discord
    holds exactly those): commands missing, changed (by type and name), or there but not in the tree."""
    mine = {(c.get("type", 1), c["name"]): c for c in ours}
    held_now = {(c.get("type", 1), c["name"]): c for c in theirs}

    def shape(command: Payload, sent_as: Payload) -> Any:
        skip = (GLOBAL_ONLY if guild else frozenset()) | {k for k in DEFAULTED if sent_as.get(k) is None}
        return comparable({k: v for k, v in command.items() if k not in skip})

    missing = [key[1] for key in mine if key not in held_now]
    changed = [key[1] for key, command in mine.items()
               if key in held_now and shape(held_now[key], command) != shape(command, command)]
    extra = [key[1] for key in held_now if key not in mine]
    parts = [f"{label} {', '.join(names)}" for label, names in
             (("missing", missing), ("changed", changed), ("not in the tree", extra)) if names]
    return "; ".join(parts)
