"""Synthetic but realistic plans for benchmarks: every section, valid, any size."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

NETWORKS = ["instagram", "tiktok", "facebook", "linkedin", "youtube", "telegram"]


def plan_data(
    calendar_items: int = 12, kpis_per_objective: int = 2, seed: int = 0
) -> dict[str, Any]:
    members = [
        {
            "id": m,
            "name": f"{m.title()} Example",
            "role": role,
            "email": f"{m}@example.com",
            "phone": f"+34 600 000 00{i}",
            "available": "24x7" if i < 2 else "business_hours",
        }
        for i, (m, role) in enumerate(
            [
                ("ana", "Social media manager"),
                ("luis", "Director"),
                ("marta", "Designer"),
                ("pablo", "Analyst"),
            ]
        )
    ]
    tools = [
        {"id": "planner", "name": "Planner", "category": "publishing", "can_pause_queue": True},
        {"id": "ga4", "name": "Google Analytics 4", "category": "analytics"},
        {"id": "listening", "name": "Listening", "category": "listening"},
    ]
    audiences = [
        {
            "id": f"aud-{i}",
            "name": f"Audience {i}",
            "description": "Buyers aged 25-40 who brew at home",
            "age": "25-40",
            "languages": ["en"],
            "networks": NETWORKS[:3],
        }
        for i in range(3)
    ]
    objectives = []
    kpis = []
    for i in range(3):
        oid = f"obj-{i}"
        objectives.append(
            {
                "id": oid,
                "statement": f"Bring {1200 + i * 300} monthly web-shop sessions from social media",
                "type": "traffic",
                "primary": i == 0,
                "audiences": [f"aud-{i}"],
                "due": dt.date(2027, 12, 31),
            }
        )
        for k in range(kpis_per_objective):
            kpis.append(
                {
                    "id": f"kpi-{i}-{k}",
                    "name": f"Sessions from social {i}-{k}",
                    "objective": oid,
                    "metric": "sessions" if k % 2 == 0 else "cpa",
                    "unit": "count" if k % 2 == 0 else "EUR",
                    "direction": "increase" if k % 2 == 0 else "decrease",
                    "baseline": {"value": 1000 + k, "as_of": dt.date(2026, 12, 31)},
                    "target": {
                        "value": 1400 + k if k % 2 == 0 else 800,
                        "by": dt.date(2027, 12, 31),
                    },
                    "channels": ["ch-0"],
                    "source": "ga4",
                    "owner": "ana",
                    "review": "monthly",
                    "on_miss": "Revisit the pillar mix and the posting times",
                }
            )
    kpis.append(
        {
            "id": "cpa-main",
            "name": "Cost per order from paid social",
            "objective": "obj-0",
            "metric": "cpa",
            "unit": "EUR",
            "direction": "decrease",
            "baseline": {"value": 12, "as_of": dt.date(2026, 12, 31)},
            "target": {"value": 9, "by": dt.date(2027, 12, 31)},
            "channels": ["ch-0"],
            "source": "ga4",
            "owner": "ana",
            "review": "monthly",
            "on_miss": "Pause the weakest ad sets",
        }
    )
    channels = [
        {
            "id": f"ch-{i}",
            "network": NETWORKS[i],
            "handle": "@example",
            "audiences": [f"aud-{i}"],
            "objectives": [f"obj-{i}"],
            "languages": ["en"],
            "tone": "friendly",
            "frequency": "4/week",
            "formats": [
                {"format": "reel", "frequency": "2/week", "adaptation": "9:16 with captions"}
            ],
            "owner": "ana",
            "tools": ["planner", "ga4"],
        }
        for i in range(3)
    ]
    campaigns = [
        {
            "id": f"camp-{i}",
            "name": f"Campaign {i}",
            "objectives": ["obj-0"],
            "kpis": ["kpi-0-0", "cpa-main"],
            "channels": ["ch-0"],
            "start": dt.date(2027, 1 + i * 5, 1),
            "end": dt.date(2027, 5 + i * 5, 28),
            "budget": 1000,
            "paid": True,
            "owner": "ana",
        }
        for i in range(2)
    ]
    start = dt.datetime(2027, 1, 4, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    calendar = []
    for i in range(calendar_items):
        at = start + dt.timedelta(hours=7 * i % (24 * 300))
        channel = i % 3
        calendar.append(
            {
                "id": f"c-{i:05}",
                "at": at.isoformat(),
                "channel": f"ch-{channel}",
                "format": "reel",
                "pillar": f"pillar-{i % 4}",
                "language": "en",
                "title": f"Post {i}",
                "copy": f"Post number {i} on {NETWORKS[channel]}: how to brew a better cup at home.",
                "owner": "ana",
                "status": "planned",
            }
        )
    return {
        "smplan": 1,
        "plan": {
            "id": f"bench-{seed}",
            "name": f"Benchmark plan {seed}",
            "organization": "Example Ltd",
            "language": "en",
            "period": {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 12, 31)},
            "currency": "EUR",
            "status": "approved",
            "owner": "ana",
            "approved_by": "luis",
            "approved_on": dt.date(2026, 12, 15),
            "review_cadence": "monthly",
        },
        "situation": {
            "internal": {
                "about": "Three coffee shops and a web shop",
                "offering": [{"id": "beans", "name": "Roasted beans", "type": "product"}],
                "resources": {"level": "limited", "people": 1.5},
                "reputation": {
                    "as_of": dt.date(2026, 11, 1),
                    "summary": "Mostly positive",
                    "sentiment": {"positive": 62, "neutral": 30, "negative": 8},
                },
            },
            "external": {
                "competitors": [
                    {
                        "id": "rival",
                        "name": "Rival Roasters",
                        "channels": ["instagram"],
                        "what": "tutorials",
                        "how": "daily reels",
                        "where": "Instagram",
                    }
                ],
                "factors": {
                    k: ["A factor worth watching"]
                    for k in (
                        "demographic",
                        "economic",
                        "technological",
                        "political",
                        "socio_cultural",
                    )
                },
            },
            "swot": {
                k: ["An item"] for k in ("strengths", "weaknesses", "opportunities", "threats")
            },
        },
        "audiences": audiences,
        "objectives": objectives,
        "kpis": kpis,
        "strategy": {
            "voice": {"tone": ["warm", "expert"]},
            "pillars": [
                {"id": f"pillar-{i}", "name": f"Pillar {i}", "share": 25, "promotional": i == 3}
                for i in range(4)
            ],
            "channels": channels,
        },
        "campaigns": campaigns,
        "calendar": calendar,
        "community": {
            "hours": {"timezone": "Europe/Madrid", "coverage": "09-21 daily"},
            "response_time": {"default": "4h", "complaint": "1h"},
            "moderation": {
                "hide": ["spam"],
                "delete": ["hate-speech"],
                "never_delete": ["criticism"],
                "escalate_to": "sev2",
            },
        },
        "crisis": {
            "monitoring": {"tool": "listening", "keywords": ["example"]},
            "contacts": [{"member": "luis", "role": "spokesperson"}],
            "levels": [
                {
                    "id": f"sev{i + 1}",
                    "name": f"Level {i + 1}",
                    "criteria": "Criteria",
                    "owner": "ana",
                    "approver": "luis",
                    "backup": "marta",
                    "acknowledge_within": "1h",
                }
                for i in range(3)
            ],
            "steps": ["Pause scheduled posts", "Acknowledge publicly"],
            "holding_statements": [
                {
                    "id": "hs-1",
                    "levels": ["sev2", "sev3"],
                    "language": "en",
                    "text": "We are looking into it.",
                    "approved_by": "luis",
                    "approved_on": dt.date(2026, 12, 15),
                }
            ],
            "last_drill": dt.date(2026, 10, 1),
        },
        "team": {
            "members": members,
            "raci": [
                {
                    "activity": "crisis-comms",
                    "responsible": ["ana"],
                    "accountable": "luis",
                    "consulted": ["marta"],
                    "informed": ["all"],
                }
            ],
        },
        "tools": tools,
        "budget": {
            "total": 6000,
            "lines": [{"category": "paid_media", "amount": 2000, "campaign": "camp-0"}],
        },
    }


def plan_text(**kwargs: Any) -> str:
    return "smplan: 1\n" + yaml.safe_dump(
        {k: v for k, v in plan_data(**kwargs).items() if k != "smplan"},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
