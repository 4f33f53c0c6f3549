"""Keep the valid part of a plan that does not validate, so the rules can judge it.

A schema violation in one KPI must not hide every other finding (ruff and
ESLint report everything at once). The invalid nodes are cut out at the
smallest place the models allow: an optional key goes, a node with a required
key that is wrong takes its list item (or its optional section) with it. What
remains validates, and the rules run on it. Their findings come back in the
original file's coordinates (cut list items shift indices), and every finding
that touches what was cut, or an item a cut item pointed at, is held back:
a rule says nothing about what it could not see.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from smplan.model.base import ID_PATTERN
from smplan.paths import DocPath, PathPart, expand

_MAX_ROUNDS = 4  # a cut can leave a list too short; each round cuts one level higher
_ID = re.compile(ID_PATTERN)
ANY_SECTION = "*"
"""In a rule's reads: it read the whole plan (iterated it, or dumped a model)."""
ANY_ID = "*"
"""In ``Salvage.cut_ids``: a cut item had no usable id, so any id may be its."""


@dataclass(slots=True)
class Salvage:
    """A validated remainder of a plan, and how to map its paths back."""

    plan: Any  # smplan.model.Plan
    data: dict[str, Any]  # the remainder, in its own coordinates
    cut: list[DocPath]  # original coordinates of every node cut out
    unseen: list[DocPath]  # cut nodes, their items and the items those refer to
    # collection -> ids of items that exist in the file but were cut, so a
    # reference to one is not reported as unresolved.
    cut_ids: dict[str, set[str]] = field(default_factory=dict)
    # original path of a list -> original index of each item kept, in order
    kept: dict[DocPath, list[int]] = field(default_factory=dict)

    def original(self, path: Sequence[PathPart]) -> DocPath:
        """A path in the remainder -> the same node's path in the file."""
        out: list[PathPart] = []
        for part in path:
            if isinstance(part, int):
                indices = self.kept.get(tuple(out))
                if indices is not None and 0 <= part < len(indices):
                    part = indices[part]
            out.append(part)
        return tuple(out)

    def sees(self, path: Sequence[PathPart], reads: Iterable[str] | None = None) -> bool:
        """Whether a finding at ``path`` (original coordinates) is judged on seen nodes.

        It is not when it touches an unseen node. ``reads`` are the top-level
        sections its rule read (None: the rule reads only what it names, as
        the reference and id checks do): a rule that read a section with a cut
        may owe its finding to the cut (a statement whose approval was cut
        leaves a language uncovered), unless the finding sits on a sibling
        item of the cut one, which per-item checks judge on its own.
        """
        if any(_related(path, other) for other in self.unseen):
            return False
        if reads is None:
            return True
        read = set(reads)
        for cut in self.cut:
            if ANY_SECTION not in read and cut[0] not in read:
                continue
            item = _enclosing_item(cut)
            inside_sibling = (
                len(item) > 0
                and isinstance(item[-1], int)
                and len(path) >= len(item)
                and tuple(path[: len(item) - 1]) == item[:-1]
            )
            if not inside_sibling:
                return False
        return True


def salvage(
    data: dict[str, Any],
    error_paths: Iterable[DocPath],
    validate: typing.Callable[[Any], tuple[Any, list[DocPath]]],
    root_model: type[BaseModel],
    collections: dict[str, str],
) -> Salvage | None:
    """Cut the nodes at ``error_paths`` until the rest validates; None if nothing is left.

    ``validate`` returns the model (or None) and the data paths of its errors;
    ``collections`` names the id-bearing lists (``{"kpis": "kpis[*]"}``).
    """
    cuts: set[DocPath] = set()
    pending = list(error_paths)
    for _ in range(_MAX_ROUNDS):
        for path in pending:
            target = _cut_target(data, path, root_model)
            if target is None:
                return None  # a required top-level part is broken: nothing to judge
            cuts.add(target)
        cuts = _outermost(cuts)
        remainder, kept = _without(data, cuts)
        plan, errors = validate(remainder)
        if plan is not None:
            result = Salvage(plan, remainder, sorted(cuts, key=_order), [], kept=kept)
            result.cut_ids, referenced = _cut_items(data, cuts, collections)
            result.unseen = sorted({*cuts, *referenced}, key=_order)
            return result
        mapper = Salvage(None, remainder, [], [], kept=kept)
        pending = [mapper.original(_existing(remainder, path)) for path in errors]
    return None


def data_path(data: Any, loc: Sequence[PathPart]) -> DocPath:
    """The deepest node of ``data`` along a validator location.

    pydantic's locations carry union tags (``'function-after[...]'``) and, for
    a missing key, the key that is not there; both are skipped, so a missing
    key yields the mapping that lacks it.
    """
    return _existing(data, loc)


def _existing(data: Any, loc: Sequence[PathPart]) -> DocPath:
    out: list[PathPart] = []
    node = data
    for part in loc:
        in_mapping = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_mapping or in_list):
            continue  # a union tag, or the missing key itself
        node = node[part]
        out.append(part)
    return tuple(out)


def _cut_target(data: Any, path: DocPath, root_model: type[BaseModel]) -> DocPath | None:
    """The smallest node whose removal drops the invalid node at ``path``."""
    while path:
        parent, last = path[:-1], path[-1]
        if isinstance(last, int):
            return path  # a list item can always go
        if not _required(root_model, parent, last):
            return path
        path = parent  # a required key: its container goes instead
    return None


def _required(root_model: type[BaseModel], parent: DocPath, key: str) -> bool:
    """Whether ``key`` must be present in the mapping at ``parent``."""
    tp: Any = root_model
    for part in parent:
        tp = _child_type(tp, part)
        if tp is None:
            return True  # unknown shape: cut higher rather than guess
    model = model_of(tp)
    if model is None:
        return False  # a free mapping (dict[str, X]): its entries are optional
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return bool(info.is_required())
    return False  # not a field of the model: an unknown key


def _child_type(tp: Any, part: PathPart) -> Any:
    for candidate in unwrap_type(tp):
        if isinstance(part, int) and typing.get_origin(candidate) is list:
            return typing.get_args(candidate)[0]
        if isinstance(part, str):
            if typing.get_origin(candidate) is dict:
                return typing.get_args(candidate)[1]
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                for name, info in candidate.model_fields.items():
                    if part in (name, info.alias):
                        return info.annotation
    return None


def unwrap_type(tp: Any) -> list[Any]:
    """The alternatives of an annotation: ``Annotated`` and unions taken apart."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return unwrap_type(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(tp):
            out.extend(unwrap_type(arg))
        return out
    return [tp]


def model_of(tp: Any) -> type[BaseModel] | None:
    """The first model among an annotation's alternatives, if any."""
    for candidate in unwrap_type(tp):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _outermost(cuts: set[DocPath]) -> set[DocPath]:
    """Drop cuts inside another cut: the outer one removes them already."""
    return {c for c in cuts if not any(o != c and c[: len(o)] == o for o in cuts)}


def _without(data: Any, cuts: set[DocPath]) -> tuple[Any, dict[DocPath, list[int]]]:
    """A copy of ``data`` without the cut nodes; untouched subtrees are shared, not copied."""
    touched = {c[:i] for c in cuts for i in range(len(c))}
    kept: dict[DocPath, list[int]] = {}

    def rebuild(node: Any, path: DocPath) -> Any:
        if path not in touched:
            return node
        if isinstance(node, dict):
            return {k: rebuild(v, (*path, k)) for k, v in node.items() if (*path, k) not in cuts}
        if isinstance(node, list):
            indices = [i for i in range(len(node)) if (*path, i) not in cuts]
            if len(indices) != len(node):
                kept[path] = indices
            return [rebuild(node[i], (*path, i)) for i in indices]
        return node

    return rebuild(data, ()), kept


def _cut_items(
    data: Any, cuts: set[DocPath], collections: dict[str, str]
) -> tuple[dict[str, set[str]], set[DocPath]]:
    """Ids of cut items per collection, and the paths of items a cut node refers to."""
    by_id: dict[str, list[DocPath]] = {}
    cut_ids: dict[str, set[str]] = {}
    for name, pattern in collections.items():
        for path, item in expand(data, pattern):
            ident = item.get("id") if isinstance(item, dict) else None
            id_cut = (*path, "id") in cuts
            was_cut = id_cut or any(path[: len(c)] == c for c in cuts)
            if was_cut and (id_cut or not isinstance(ident, str) or not _ID.match(ident)):
                # A broken id may be any id the plan refers to ('Pillar 1' for 'pillar-1').
                cut_ids.setdefault(name, set()).add(ANY_ID)
            if not isinstance(ident, str):
                continue
            by_id.setdefault(ident, []).append(path)
            if was_cut:
                cut_ids.setdefault(name, set()).add(ident)
    referenced: set[DocPath] = set()
    for cut in cuts:
        item = _enclosing_item(cut)
        referenced.add(item)  # a KPI that lost its baseline is not judged either
        for text in _strings(_at(data, item)):
            referenced.update(by_id.get(text, ()))
    return cut_ids, referenced


def _enclosing_item(path: DocPath) -> DocPath:
    """The list item a node belongs to (itself if it is one), else the node."""
    for end in range(len(path), 0, -1):
        if isinstance(path[end - 1], int):
            return path[:end]
    return path


def _at(data: Any, path: DocPath) -> Any:
    node = data
    for part in path:
        node = node[part]
    return node


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _related(a: Sequence[PathPart], b: Sequence[PathPart]) -> bool:
    """One path is the other or lies inside it."""
    n = min(len(a), len(b))
    return tuple(a[:n]) == tuple(b[:n])


def _order(path: DocPath) -> tuple[str, ...]:
    return tuple(f"{p:09d}" if isinstance(p, int) else p for p in path)


class WatchedData(dict[str, Any]):
    """The plan's top-level mapping, noting which sections a rule reads."""

    def __init__(self, data: dict[str, Any], reads: set[str]) -> None:
        super().__init__(data)
        self.reads = reads

    def __getitem__(self, key: str) -> Any:
        self.reads.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.reads.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.reads.add(key)
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self.reads.add(ANY_SECTION)
        return super().__iter__()

    def keys(self) -> Any:
        self.reads.add(ANY_SECTION)
        return super().keys()

    def values(self) -> Any:
        self.reads.add(ANY_SECTION)
        return super().values()

    def items(self) -> Any:
        self.reads.add(ANY_SECTION)
        return super().items()


class WatchedPlan:
    """The typed plan, noting which sections a rule reads."""

    def __init__(self, plan: BaseModel, reads: set[str]) -> None:
        object.__setattr__(self, "_plan", plan)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str) -> Any:
        plan = object.__getattribute__(self, "_plan")
        reads: set[str] = object.__getattribute__(self, "_reads")
        reads.add(name if name in type(plan).model_fields else ANY_SECTION)
        return getattr(plan, name)
