"""Crisis-guide checks: reachable people, complete levels, backups, ready statements, drills.

A plan without a crisis section is `crisis-plan-missing`'s to report; these
checks stay silent then, so one gap is said once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from smplan.findings import Finding
from smplan.model import Crisis, Member
from smplan.paths import DocPath
from smplan.rules.base import CheckContext
from smplan.rules.checks._common import (
    by_id,
    channels,
    empty,
    listing,
    option_list,
    option_number,
    plural,
    primary_language,
    raw,
)

_ROLES = ("owner", "approver", "backup")


def _crisis(ctx: CheckContext) -> Crisis | None:
    return ctx.plan.crisis


def _members(ctx: CheckContext) -> dict[str, tuple[int, Member]]:
    team = ctx.plan.team
    return by_id(team.members if team is not None else None)


def _section_key(ctx: CheckContext, key: str) -> DocPath:
    """``crisis.<key>`` when the key is written, else the ``crisis`` key itself."""
    section = raw(ctx.data, "crisis")
    return ("crisis", key) if isinstance(section, dict) and key in section else ("crisis",)


def _level_name(level_id: str | None, index: int) -> str:
    return f"crisis level '{level_id}'" if level_id else f"crisis level #{index + 1}"


def crisis_contact_missing(ctx: CheckContext) -> Iterator[Finding]:
    crisis = _crisis(ctx)
    if crisis is None:
        return
    members = _members(ctx)
    contacts = [c.member for c in crisis.contacts or [] if c.member]
    known = [members[ref][1] for ref in contacts if ref in members]
    reachable = [m for m in known if m.phone and m.phone.strip() and m.available == "24x7"]
    if not reachable and len(known) == len(contacts):
        # (an unknown member is unresolved-reference's; it may be the reachable one)
        if not crisis.contacts:
            message = (
                "the crisis guide names no contacts; add crisis.contacts with at least one "
                "team member who has a 'phone' and 'available: 24x7'"
            )
        elif known:
            message = (
                f"no crisis contact can be reached 24x7 by phone; give one of them "
                f"({listing([str(m.id) for m in known], 'or')}) a 'phone' and "
                "'available: 24x7' in team.members, or add a contact who has both"
            )
        else:
            message = (
                "no crisis contact names a team member; set 'member' of a contact to a "
                "team member who has a 'phone' and 'available: 24x7'"
            )
        yield Finding(_section_key(ctx, "contacts"), message, key=True)
    # Crisis roles whose member cannot be called: reported once per member, at the
    # member, where the phone number goes.
    roles: dict[str, dict[str, list[str]]] = {}  # member -> level -> roles
    for i, level in enumerate(crisis.levels or []):
        for role in _ROLES:
            ref = getattr(level, role)
            if ref in members and not (members[ref][1].phone or "").strip():
                level_label = f"'{level.id}'" if level.id else f"#{i + 1}"
                roles.setdefault(ref, {}).setdefault(level_label, []).append(role)
    for ref, by_level in roles.items():
        yield Finding(
            ("team", "members", members[ref][0]),
            f"team member '{ref}' is {_roles_words(by_level)} but has no phone; add a "
            "'phone' so they can be called in a crisis",
        )


def _roles_words(by_level: dict[str, list[str]]) -> str:
    """``owner and approver of crisis level 'sev3', backup of crisis levels 'sev1' and 'sev2'``."""
    levels_by_roles: dict[tuple[str, ...], list[str]] = {}
    for level_label, played in by_level.items():
        levels_by_roles.setdefault(tuple(played), []).append(level_label)
    parts = [
        f"{listing(list(played))} of crisis level{'s' if len(levels) > 1 else ''} {listing(levels)}"
        for played, levels in levels_by_roles.items()
    ]
    return listing(parts)


_LEVEL_FIELD_HINTS = {
    "criteria": "'criteria' to when a situation is at this level",
    "owner": "'owner' to the team member who leads the response",
    "approver": "'approver' to the team member who approves public statements",
    "acknowledge_within": "'acknowledge_within' to how soon it is acknowledged, e.g. 1h",
    "backup": "'backup' to who steps in for the approver",
    "respond_within": "'respond_within' to how soon a full answer follows, e.g. 24h",
    "notify": "'notify' to who is told at once",
    "name": "'name' to what the level is called",
}


def crisis_escalation_incomplete(ctx: CheckContext) -> Iterator[Finding]:
    if _crisis(ctx) is None:
        return
    required = option_list(ctx.options.get("required-fields"))
    minimum = int(option_number(ctx.options.get("min-levels"), 0))
    levels = raw(ctx.data, "crisis", "levels")
    levels = levels if isinstance(levels, list) else []
    for i, level in enumerate(levels):
        if not isinstance(level, dict):
            continue
        missing = [name for name in required if empty(level.get(name))]
        if not missing:
            continue
        hints = [_LEVEL_FIELD_HINTS.get(name, f"'{name}'") for name in missing]
        name = _level_name(level.get("id") if isinstance(level.get("id"), str) else None, i)
        yield Finding(
            ("crisis", "levels", i),
            f"{name} has no {listing(missing, 'or')}; set {listing(hints)}",
        )
    if len(levels) < minimum:
        have = f"has only {len(levels)} severity level" + ("" if len(levels) == 1 else "s")
        have = f"{have}, fewer than {minimum}" if levels else "defines no severity levels"
        yield Finding(
            _section_key(ctx, "levels"),
            f"the crisis guide {have}; define at least {minimum}, "
            "lowest first (e.g. minor, elevated, critical), so a rude comment and a health "
            "scare do not get the same response",
            key=True,
        )


def crisis_backup_missing(ctx: CheckContext) -> Iterator[Finding]:
    crisis = _crisis(ctx)
    if crisis is None:
        return
    for i, level in enumerate(crisis.levels or []):
        name = _level_name(level.id, i)
        if not level.backup:
            away = f"'{level.approver}'" if level.approver else "the approver"
            yield Finding(
                ("crisis", "levels", i),
                f"{name} has no backup; set 'backup' to a team member who decides when "
                f"{away} cannot be reached",
            )
        elif level.backup == level.approver:
            yield Finding(
                ("crisis", "levels", i, "backup"),
                f"the backup of {name} is its approver '{level.approver}'; choose another "
                "team member, who can decide when the approver cannot be reached",
            )


def holding_statement_missing(ctx: CheckContext) -> Iterator[Finding]:
    crisis = _crisis(ctx)
    if crisis is None:
        return
    approved_levels: set[str] = set()
    drafted_levels: dict[str, str] = {}  # level -> a statement covering it, not approved
    approved_languages: set[str] = set()
    drafted_languages: dict[str, str] = {}
    for k, statement in enumerate(crisis.holding_statements or []):
        language = primary_language(statement.language or ctx.language)
        label = f"'{statement.id}'" if statement.id else f"#{k + 1}"
        if statement.approved_by and statement.approved_on:
            approved_levels.update(statement.levels or [])
            approved_languages.add(language)
        else:
            for level_id in statement.levels or []:
                drafted_levels.setdefault(level_id, label)
            drafted_languages.setdefault(language, label)
    for i, level in enumerate(crisis.levels or []):
        if i == 0:
            continue  # the lowest level is answered case by case
        if level.id is None:
            yield Finding(
                ("crisis", "levels", i),
                f"{_level_name(None, i)} has no id, so no holding statement can cover it; "
                "give it an id and an approved holding statement",
            )
            continue
        if level.id in approved_levels:
            continue
        draft = drafted_levels.get(level.id)
        if draft:
            fix = (
                f"statement {draft} covers it but lacks approved_by or approved_on; have it "
                "approved and record both"
            )
        else:
            fix = (
                f"add one with levels: [{level.id}] to crisis.holding_statements and record "
                "approved_by and approved_on"
            )
        yield Finding(
            ("crisis", "levels", i),
            f"{_level_name(level.id, i)} has no approved holding statement; {fix}",
        )
    reported: set[str] = set()
    for i, channel in enumerate(channels(ctx)):
        for k, tag in enumerate(channel.languages or []):
            language = primary_language(tag)
            if language in approved_languages or language in reported:
                continue
            reported.add(language)
            draft = drafted_languages.get(language)
            if draft:
                fix = (
                    f"statement {draft} is in {language} but lacks approved_by or "
                    "approved_on; have it approved and record both"
                )
            else:
                fix = (
                    f"add one with language: {language} to crisis.holding_statements, "
                    "approved before a crisis needs it"
                )
            yield Finding(
                ("strategy", "channels", i, "languages", k),
                f"channel '{channel.id}' posts in {tag}, but no approved holding statement "
                f"is in {language}; {fix}",
            )


def crisis_drill_stale(ctx: CheckContext) -> Iterator[Finding]:
    crisis = _crisis(ctx)
    if crisis is None:
        return
    max_age = int(option_number(ctx.options.get("max-age-days"), 0))
    start = ctx.plan.plan.period.start
    if crisis.last_drill is None:
        yield Finding(
            _section_key(ctx, "last_drill"),
            "the crisis guide was never rehearsed; run a drill with the team before the plan "
            "starts and record its date in crisis.last_drill",
            key=True,
        )
        return
    age = (start - crisis.last_drill).days
    if crisis.last_drill < start - timedelta(days=max_age):
        yield Finding(
            ("crisis", "last_drill"),
            f"the last crisis drill ({crisis.last_drill}) was {plural(age, 'day')} before the "
            f"plan starts ({start}), more than {max_age}; rehearse the guide with the team and "
            "update crisis.last_drill",
        )
