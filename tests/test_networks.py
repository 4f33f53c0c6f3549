"""The known networks (smplan.networks) and the near misses unknown-network reports."""

from __future__ import annotations

import json

import pytest

from smplan.networks import KNOWN_NETWORKS, closest_network, is_known, network_key
from smplan.rules.registry import builtin_registry
from tests.conftest import FIXTURES

PER_NETWORK_OPTIONS = [("copy-too-long", "limits"), ("posting-frequency-out-of-band", "bands")]


@pytest.mark.parametrize(("rule", "option"), PER_NETWORK_OPTIONS)
def test_every_network_a_rule_has_settings_for_is_known(rule, option):
    table = builtin_registry().rules[rule].options[option].default
    assert sorted(name for name in table if network_key(name) not in KNOWN_NETWORKS) == []


@pytest.mark.parametrize("name", [*KNOWN_NETWORKS, "Instagram", " TikTok ", "LinkedIn", "X"])
def test_known_names_in_any_case_are_not_reported(name):
    assert is_known(name)
    assert closest_network(name) is None


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("insta", "instagram"),
        ("IG", "instagram"),
        ("instagramm", "instagram"),
        ("facebok", "facebook"),
        ("tik tok", "tiktok"),
        ("You Tube", "youtube"),
        ("linkdin", "linkedin"),
        ("www.instagram.com", "instagram"),
        ("vk.com", "vk"),
        ("mastadon", "mastodon"),
    ],
)
def test_near_misses_name_the_network_meant(name, meant):
    assert closest_network(name) == meant


@pytest.mark.parametrize("name", ["in-store", "radio", "events", "own website", "news", "podcasts"])
def test_free_names_close_to_no_network_are_left_alone(name):
    assert closest_network(name) is None


def test_extend_networks_accepts_a_name_in_any_case():
    assert closest_network("fb") == "facebook"
    assert closest_network("fb", ["FB"]) is None


def test_lint_reports_a_misspelt_channel_network(cli):
    plan = str(FIXTURES / "lint" / "unknown-network.smplan.yaml")
    result = cli("lint", plan, "--select", "unknown-network", "--format", "json")
    found = [
        (d["line"], d["column"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]
    ]
    assert found == [
        (
            5,
            25,
            "network 'insta' of channel 'ig' is no network smplan knows, so the rules with "
            "per-network settings (copy-too-long, posting-frequency-out-of-band) skip it; "
            "did you mean 'instagram'?",
        )
    ]
    assert result.code == 0  # a warning
