"""Content checks: formats adapted to each network, a sound pillar mix, copy that fits."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator

from smplan.findings import Finding
from smplan.paths import DocPath
from smplan.rules.base import CheckContext
from smplan.rules.checks._common import (
    by_id,
    channels,
    network_key,
    number,
    option_mapping,
    option_number,
    plural,
)


def format_not_adapted(ctx: CheckContext) -> Iterator[Finding]:
    yield from _formats_without_adaptation(ctx)
    yield from _copy_repeated_across_networks(ctx)


def _formats_without_adaptation(ctx: CheckContext) -> Iterator[Finding]:
    for i, channel in enumerate(channels(ctx)):
        for j, fmt in enumerate(channel.formats or []):
            if fmt.adaptation and fmt.adaptation.strip():
                continue
            name = f"format '{fmt.format}'" if fmt.format else f"format #{j + 1}"
            yield Finding(
                ("strategy", "channels", i, "formats", j),
                f"{name} of channel '{channel.id}' has no adaptation; say in 'adaptation' how "
                f"it is made for {channel.network} (aspect ratio, length, captions, hashtags)",
            )


def _normal_copy(text: str) -> str:
    """Copy compared as published: case and spacing do not make it different."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _copy_repeated_across_networks(ctx: CheckContext) -> Iterator[Finding]:
    min_length = option_number(ctx.options.get("min-length"), 0)
    networks = {ident: channel.network for ident, (_, channel) in by_id(channels(ctx)).items()}
    # normalised copy -> (network key, network as written, item label) of its first use
    first: dict[str, tuple[str, str, str]] = {}
    for j, item in enumerate(ctx.plan.calendar or []):
        if not item.copy_ or item.channel not in networks:
            continue
        text = _normal_copy(item.copy_)
        if len(text) < min_length:
            continue
        network = networks[item.channel]
        label = f"'{item.id}'" if item.id else f"#{j + 1}"
        seen = first.get(text)
        if seen is None:
            first[text] = (network_key(network), network, label)
            continue
        if seen[0] == network_key(network):
            continue
        yield Finding(
            ("calendar", j, "copy"),
            f"calendar item {label} on {network} repeats the copy of calendar item {seen[2]} "
            f"on {seen[1]} unchanged; adapt the text to {network} (length, tone, hashtags, "
            "call to action)",
        )


def pillar_shares_invalid(ctx: CheckContext) -> Iterator[Finding]:
    strategy = ctx.plan.strategy
    pillars = list(strategy.pillars or []) if strategy is not None else []
    if not pillars or all(p.share is None for p in pillars):
        return
    cap = option_number(ctx.options.get("max-promotional-share"), 100)
    tolerance = option_number(ctx.options.get("tolerance"), 0)
    list_path: DocPath = ("strategy", "pillars")
    missing = [(j, p) for j, p in enumerate(pillars) if p.share is None]
    for j, pillar in missing:
        name = f"pillar '{pillar.id}'" if pillar.id else f"pillar #{j + 1}"
        yield Finding(
            (*list_path, j),
            f"{name} has no share while other pillars do; give it a 'share' (percent of "
            "posts) so the shares add up to 100",
        )
    total = math.fsum(p.share for p in pillars if p.share is not None)
    if abs(total - 100) > tolerance and not (missing and total < 100):
        yield Finding(
            list_path,
            f"pillar shares add up to {number(round(total, 2))}%, not 100%; adjust the "
            "shares so the whole content mix adds up to 100",
            key=True,
        )
    promotional = [(j, p) for j, p in enumerate(pillars) if p.promotional and p.share]
    promo_total = math.fsum(p.share or 0 for _, p in promotional)
    if promo_total <= cap:
        return
    advice = (
        f"above the {number(cap)}% cap; move share to pillars that teach, entertain or "
        "build community, or the audience tunes out"
    )
    if len(promotional) == 1:
        j, pillar = promotional[0]
        yield Finding(
            (*list_path, j, "share"),
            f"promotional pillar '{pillar.id}' takes {number(promo_total)}% of posts, {advice}",
        )
    else:
        names = ", ".join(f"'{p.id}'" for _, p in promotional)
        yield Finding(
            list_path,
            f"promotional pillars ({names}) take {number(round(promo_total, 2))}% of posts, "
            f"{advice}",
            key=True,
        )


def copy_too_long(ctx: CheckContext) -> Iterator[Finding]:
    limits: dict[str, float] = {}
    for source in (ctx.options.get("limits"), ctx.options.get("extend-limits")):
        for name, value in option_mapping(source).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                limits[network_key(name)] = float(value)
    networks = {ident: channel.network for ident, (_, channel) in by_id(channels(ctx)).items()}
    for j, item in enumerate(ctx.plan.calendar or []):
        if not item.copy_ or item.channel not in networks:
            continue
        network = networks[item.channel]
        limit = limits.get(network_key(network))
        length = len(item.copy_)
        if limit is None or length <= limit:
            continue
        label = f"'{item.id}'" if item.id else f"#{j + 1}"
        excess = plural(length - limit, "character")
        yield Finding(
            ("calendar", j, "copy"),
            f"the copy of calendar item {label} is {number(length)} characters, over the "
            f"{number(limit)}-character limit on {network}; cut {excess} or move the detail "
            "to a link or the comments",
        )
