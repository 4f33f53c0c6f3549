"""Strategy checks: channels are complete, serve every audience in its language,
have a tool behind them and post at a sensible cadence."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from smplan.findings import Finding
from smplan.networks import closest_network
from smplan.rules.base import CheckContext
from smplan.rules.checks._common import (
    by_id,
    channels,
    empty,
    listing,
    network_key,
    number,
    option_list,
    option_mapping,
    primary_language,
)
from smplan.validate import describe

_CHANNEL_FIELD_HINTS = {
    "frequency": "'frequency' (how often it posts, e.g. 4/week)",
    "languages": "'languages' (e.g. [es])",
    "audiences": "'audiences' (audience ids)",
    "objectives": "'objectives' (objective ids)",
    "owner": "'owner' (the team member who runs it)",
    "tools": "'tools' (tool ids)",
    "formats": "'formats' (each with its adaptation)",
    "tone": "'tone' (how it sounds there)",
    "handle": "'handle' (the account name)",
}


def channel_incomplete(ctx: CheckContext) -> Iterator[Finding]:
    required = option_list(ctx.options.get("required-fields"))
    for path, channel in ctx.index.items("channels"):
        missing = [name for name in required if empty(channel.get(name))]
        if not missing:
            continue
        hints = [_CHANNEL_FIELD_HINTS.get(name, f"'{name}'") for name in missing]
        yield Finding(
            path,
            f"{describe(ctx.data, path)} has no {listing(missing, 'or')}; set {listing(hints)}",
        )


def audience_unreached(ctx: CheckContext) -> Iterator[Finding]:
    served: set[str] = set()
    channel_items = list(ctx.index.items("channels"))
    for _, channel in channel_items:
        refs = channel.get("audiences")
        if isinstance(refs, list):
            served.update(ref for ref in refs if isinstance(ref, str))
    for path, audience in ctx.index.items("audiences"):
        ident = audience.get("id")
        name = describe(ctx.data, path)
        if not isinstance(ident, str):
            yield Finding(
                path,
                f"{name} has no id, so no channel can serve it; give it an id and add it "
                "to the 'audiences' of a channel",
            )
            continue
        if ident in served:
            continue
        networks = [str(n) for n in audience.get("networks") or [] if isinstance(n, str)]
        where = f" on a network they use ({listing(networks)})" if networks else ""
        if not channel_items:
            fix = f"add a channel to strategy.channels{where} with audiences: [{ident}]"
        else:
            fix = f"add '{ident}' to the 'audiences' of a channel{where}"
        yield Finding(path, f"{name} is served by no channel; {fix}")


def channel_language_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    audiences = by_id(ctx.plan.audiences)
    for i, channel in enumerate(channels(ctx)):
        if not channel.languages:
            continue  # channel-incomplete says the languages are missing
        spoken = {primary_language(tag) for tag in channel.languages}
        for k, ref in enumerate(channel.audiences or []):
            found = audiences.get(ref)
            if found is None or not found[1].languages:
                continue
            reads = found[1].languages
            if spoken & {primary_language(tag) for tag in reads}:
                continue
            path = ("strategy", "channels", i, "audiences", k)
            yield Finding(
                path,
                f"channel '{channel.id}' posts in {listing(channel.languages)}, but audience "
                f"'{ref}' reads {listing(reads)}; add one of their languages to the "
                f"channel's 'languages', or serve '{ref}' from a channel in their language",
            )


def channel_without_tool(ctx: CheckContext) -> Iterator[Finding]:
    categories = option_list(ctx.options.get("categories"))
    kinds = listing(categories, "or") or "suitable"
    tools = by_id(ctx.plan.tools)
    suitable = [ident for ident, (_, tool) in tools.items() if tool.category in categories]
    suggestion = f" (e.g. {listing(suitable[:3], 'or')})" if suitable else ""
    for i, channel in enumerate(channels(ctx)):
        refs = channel.tools or []
        if any(ref not in tools for ref in refs):
            continue  # an unknown tool is unresolved-reference's; it may be the right one
        if any(tools[ref][1].category in categories for ref in refs):
            continue
        path: tuple[str | int, ...] = ("strategy", "channels", i)
        if refs:
            path = (*path, "tools")
            problem = f"names no {kinds} tool among its tools ({listing(refs)})"
        else:
            problem = "names no tools"
        add = f"add a {kinds} tool{suggestion} to its 'tools'"
        if not suitable:
            add += f", after describing it in tools: with category {listing(categories, 'or')}"
        yield Finding(
            path,
            f"channel '{channel.id}' {problem}, so nothing publishes or measures it; {add}",
        )


def _band(value: Any) -> tuple[float | None, float | None] | None:
    """``{min: 3, max: 14}`` or ``[3, 14]``; None when malformed."""
    if isinstance(value, dict):
        low, high = value.get("min"), value.get("max")
    elif isinstance(value, list | tuple) and len(value) == 2:
        low, high = value
    else:
        return None
    for bound in (low, high):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int | float)):
            return None
    return (
        float(low) if low is not None else None,
        float(high) if high is not None else None,
    )


def posting_frequency_out_of_band(ctx: CheckContext) -> Iterator[Finding]:
    table = {
        network_key(k): v
        for source in (ctx.options.get("bands"), ctx.options.get("extend-bands"))
        for k, v in option_mapping(source).items()
    }
    fallback = _band(ctx.options.get("default-band"))
    for i, channel in enumerate(channels(ctx)):
        if channel.frequency is None:
            continue
        network = network_key(channel.network)
        band = _band(table[network]) if network in table else fallback
        if band is None:
            continue
        low, high = band
        per_week = channel.frequency.per_week()
        cadence = str(channel.frequency)
        if channel.frequency.per != "week":
            cadence += f" (about {number(round(per_week, 2))} a week)"
        if network in table:
            where = f"on {channel.network}"
        else:
            where = f"(the default band; {channel.network} has none of its own)"
        hint = f"or set a band for '{network}' under extend-bands in this rule's options"
        if low is not None and per_week < low:
            yield Finding(
                ("strategy", "channels", i, "frequency"),
                f"channel '{channel.id}' posts {cadence}, fewer than the usual {number(low)} "
                f"a week {where}; post more often to stay visible, {hint}",
            )
        elif high is not None and per_week > high:
            yield Finding(
                ("strategy", "channels", i, "frequency"),
                f"channel '{channel.id}' posts {cadence}, more than the usual {number(high)} "
                f"a week {where}; post less often to keep quality up and followers "
                f"interested, {hint}",
            )


# ------------------------------------------------------------ unknown-network
_NETWORK_NAMES = (
    "strategy.channels[*].network",
    "audiences[*].networks[*]",
    "situation.external.competitors[*].channels[*]",
)


def unknown_network(ctx: CheckContext) -> Iterator[Finding]:
    """A near miss of a known network: the per-network rules would skip it silently."""
    extra = option_list(ctx.options.get("extend-networks"))
    for pattern in _NETWORK_NAMES:
        for path, name in ctx.expand(pattern):
            if not isinstance(name, str):
                continue
            guess = closest_network(name, extra)
            if guess is None:
                continue
            if path[-1] == "network":
                owner = describe(ctx.data, path[:-1])
                skipped = (
                    ", so the rules with per-network settings (copy-too-long, "
                    "posting-frequency-out-of-band) skip it"
                )
            else:
                owner = describe(ctx.data, path[:-2])
                skipped = ""
            yield Finding(
                path,
                f"network '{name}' of {owner} is no network smplan knows{skipped}; "
                f"did you mean '{guess}'?",
            )
