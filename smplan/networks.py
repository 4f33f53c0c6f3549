"""The social networks smplan knows by name, and the closest one to a misspelling.

Networks are free names in a plan (``strategy.channels[].network``,
``audiences[].networks``, competitors' ``channels``), but the rules with
per-network settings (``copy-too-long``, ``posting-frequency-out-of-band``) key
on these names: ``insta`` matches none of them and silently switches them off.
``unknown-network`` uses this list to say so; a test keeps every network named
in a built-in rule's options on it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

KNOWN_NETWORKS: tuple[str, ...] = (
    "instagram",
    "facebook",
    "messenger",
    "tiktok",
    "youtube",
    "linkedin",
    "x",
    "twitter",
    "threads",
    "bluesky",
    "mastodon",
    "pinterest",
    "snapchat",
    "reddit",
    "tumblr",
    "twitch",
    "discord",
    "telegram",
    "whatsapp",
    "viber",
    "wechat",
    "weibo",
    "vk",
    "ok",
    "dzen",
    "zen",
    "rutube",
    "email",
    "newsletter",
    "blog",
    "website",
    "web",
    "podcast",
)
"""Lower-case names; a plan may spell them in any case."""

ABBREVIATIONS: dict[str, str] = {
    "ig": "instagram",
    "insta": "instagram",
    "fb": "facebook",
    "yt": "youtube",
    "tt": "tiktok",
    "tg": "telegram",
    "wa": "whatsapp",
    "vkontakte": "vk",
    "odnoklassniki": "ok",
    "t.me": "telegram",
    "e-mail": "email",
}
"""Short or long forms people write for a known network, and the name rules use."""

# difflib ratio: 'instagramm', 'facebok', 'mastadon' match; 'in-store', 'own website' do not
_CUTOFF = 0.8
_MIN_PREFIX = 4  # 'face' -> facebook, but 'new' is not 'newsletter'


def network_key(network: str) -> str:
    """A network's free name as a lookup key: ``Instagram `` -> ``instagram``."""
    return network.strip().lower()


def is_known(network: str, extra: Iterable[str] = ()) -> bool:
    """True for a known network (or one of ``extra``), in any case.

    A plural counts as known: a competitor on ``podcasts`` or ``blogs`` names
    a kind of channel, not a misspelt network.
    """
    key = network_key(network)
    if key in KNOWN_NETWORKS or key.removesuffix("s") in KNOWN_NETWORKS:
        return True
    return key in {network_key(name) for name in extra}


def closest_network(network: str, extra: Iterable[str] = ()) -> str | None:
    """The known network ``network`` most likely means, or None.

    None for a known name and for a name close to none (a free name such as
    ``in-store`` or ``radio``): only near misses are worth a warning.
    """
    if is_known(network, extra):
        return None
    key = network_key(network)
    if key in ABBREVIATIONS:
        return ABBREVIATIONS[key]
    if "." in key:  # a domain: instagram.com, www.tiktok.com, vk.com
        for label in key.split("."):
            if label in KNOWN_NETWORKS:
                return label
    if len(key) >= _MIN_PREFIX:
        for name in KNOWN_NETWORKS:
            if name.startswith(key) and len(key) * 2 >= len(name):
                return name
    matches = difflib.get_close_matches(key, KNOWN_NETWORKS, n=1, cutoff=_CUTOFF)
    return matches[0] if matches else None
