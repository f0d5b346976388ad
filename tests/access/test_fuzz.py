"""Fuzzing the access entry points with mutated, realistic records.

Each example takes the records Azure tools print for one source of ``AccessModel.from_azure``
(role definitions, role assignments, deny assignments, memberships, directory, management groups,
subscriptions), mutates them where they nest (wrong JSON and Python types, deep nesting, huge
strings and numbers, text that Azure would never print, records swapped between places, bad UTF-8
bytes in a file), and builds a model. Every outcome is a model or an ``ImageGalleryError``; a
model then answers every question without any error, and keeps ``who_can`` and ``what_can`` equal
to what ``can`` says one by one.

The budget is small by default; ``IMAGEGALLERY_FUZZ=1`` runs many more examples and prints what
was tried (``pytest tests/access/test_fuzz.py -s``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imagegallery import ImageGalleryError
from imagegallery.access import ALL_PRINCIPALS, AccessModel
from tests.access._fixture import (
    GAL1,
    GAL_DIRECT,
    MG_PLAT,
    READ,
    RG_APP,
    S1,
    S2,
    V100,
    WRITE,
    deny,
    ra,
    reference_inventory,
)
from tests.access._scenarios import _builtin_records

LONG = os.environ.get("IMAGEGALLERY_FUZZ", "") not in ("", "0")
BUDGET = settings(
    max_examples=4000 if LONG else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SHARED_V = "/SharedGalleries/S1-GALDIRECT/Images/img/Versions/1.0.0"
COMMUNITY_V = "/CommunityGalleries/pub-1/Images/img/Versions/1.0.0"
AUTH = "providers/Microsoft.Authorization"
TRIED: Counter[str] = Counter()

SEEDS: dict[str, Any] = {
    "role_definitions": [
        *_builtin_records()[:3],
        {
            "name": "c0c0c0c0-0000-4000-8000-000000000001",
            "roleName": "Gallery version reader",
            "roleType": "CustomRole",
            "assignableScopes": [S1],
            "permissions": [
                {
                    "actions": ["Microsoft.Compute/galleries/*/versions/read"],
                    "notActions": [],
                    "dataActions": [],
                    "notDataActions": [],
                }
            ],
        },
    ],
    "role_assignments": [
        ra("alice", "Reader", GAL1, id=f"{GAL1}/{AUTH}/roleAssignments/r1", condition=None),
        ra("G-eng", "Virtual Machine Contributor", RG_APP, principalType="Group"),
        {
            "id": f"{S1}/{AUTH}/roleAssignments/r3",
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {
                "scope": S1,
                "principalId": "sp1",
                "principalType": "ServicePrincipal",
                "roleDefinitionId": f"/{AUTH}/roleDefinitions/c0c0c0c0-0000-4000-8000-000000000001",
                "condition": "@Resource[Microsoft.Compute/galleries:name] StringEquals 'gal1'",
                "conditionVersion": "2.0",
            },
        },
        {
            "type": "Microsoft.Authorization/roleEligibilityScheduleInstances",
            "properties": {
                "scope": GAL1,
                "principalId": "erin",
                "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
                "startDateTime": "2025-01-01T00:00:00Z",
                "endDateTime": "2026-01-01T00:00:00Z",
            },
        },
    ],
    "deny_assignments": [
        deny(GAL1, [WRITE], principals=[{"id": "G-eng", "type": "Group"}]),
        deny(
            S1,
            ["*/delete"],
            name="protect",
            excludePrincipals=[{"id": "G-devs", "type": "Group"}],
            isSystemProtected=True,
            denyAssignmentEffect="audit",
        ),
    ],
    "memberships": [
        {"groupId": "G-eng", "memberId": "G-devs"},
        {"groupId": "G-devs", "memberId": "erin", "kind": "eligible", "end": "2030-01-01T00:00Z"},
        {
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/groups/G-eng/members?$skip=1",
            "value": [
                {"@odata.type": "#microsoft.graph.user", "id": "alice", "displayName": "Alice"},
                {"@odata.type": "#microsoft.graph.servicePrincipal", "id": "sp1", "appId": "a1"},
            ],
        },
        {"G-a": [{"id": "dave"}], "G-b": {"value": [{"id": "G-a", "principalType": "Group"}]}},
    ],
    "directory": {
        "value": [
            {"@odata.type": "#microsoft.graph.user", "id": "alice", "tenantId": "t1"},
            {
                "@odata.type": "#microsoft.graph.user",
                "id": "alice-guest",
                "userType": "Guest",
                "homeId": "alice",
                "tenantId": "t2",
            },
            {"id": "G-eng", "principalType": "Group", "displayName": "Engineering"},
            {
                "@odata.type": "#microsoft.graph.servicePrincipal",
                "id": "sp1",
                "appId": "a1",
                "servicePrincipalType": "ManagedIdentity",
                "tenantId": "t1",
            },
        ]
    },
    "management_groups": [
        {
            "id": "/providers/Microsoft.Management/managementGroups/mg-root",
            "type": "Microsoft.Management/managementGroups",
            "children": [
                {
                    "id": MG_PLAT,
                    "type": "Microsoft.Management/managementGroups",
                    "children": [{"id": S1, "type": "/subscriptions", "tenantId": "t1"}],
                }
            ],
        },
        {"id": S2, "properties": {"parent": {"id": MG_PLAT}, "tenantId": "t2"}},
    ],
    "subscriptions": [
        {"id": "S1", "tenantId": "t1", "name": "prod", "isDefault": True},
        {"id": "S9", "tenantId": "t9", "homeTenantId": "t9"},
    ],
}

_WORDS = [
    "",
    " ",
    "/",
    "*",
    "*" * 100 + "X",
    "*/read",
    "false",
    "true",
    "\x00",
    "\udcff",
    "é",
    ALL_PRINCIPALS,
    "/subscriptions/S1",
    "subscriptions//rg",
    "/SharedGalleries/S1-GALDIRECT",
    GAL_DIRECT,
    f"{GAL1}/images/gone",
    "eligible",
    "audit",
    "BuiltInRole",
    "#microsoft.graph.group",
    "#microsoft.graph.roleEligibilitySchedule",
    "2025-01-01T00:00:00",
    "2025-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "https://graph.microsoft.com/v1.0/groups/",
]


def _deep(depth: int) -> Any:
    value: Any = "x"
    for n in range(depth):
        value = [value] if n % 2 else {"value": [value]}
    return value


def _huge_number() -> int:
    return 10**5000


def _huge_text() -> str:
    return "r" * 100_000


LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(_WORDS),
    st.binary(max_size=6),
    st.builds(_huge_number),
    st.builds(_huge_text),
    st.sampled_from([3, 40, 3000]).map(_deep),
)
HOSTILE = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_WORDS), inner),
    max_leaves=6,
)


def _paths(value: Any, where: tuple[Any, ...] = (), depth: int = 0) -> Iterator[tuple[Any, ...]]:
    yield where
    if depth > 12:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*where, key), depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*where, i), depth + 1)


def _clone(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` down to the depth mutations reach (deeper parts are shared)."""
    if depth > 12:
        return value
    if isinstance(value, dict):
        return {k: _clone(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v, depth + 1) for v in value]
    return value


def _get(value: Any, where: tuple[Any, ...]) -> Any:
    for step in where:
        value = value[step]
    return value


def _set(root: Any, where: tuple[Any, ...], new: Any) -> Any:
    if not where:
        return new
    _get(root, where[:-1])[where[-1]] = new
    return root


@st.composite
def mutated(draw: st.DrawFn, seed: Any) -> Any:
    """``seed`` with one to four mutations where it nests."""
    value = _clone(seed)
    for _ in range(draw(st.integers(1, 4))):
        places = list(_paths(value))
        where = draw(st.sampled_from(places))
        node = _get(value, where)
        how = draw(st.sampled_from(["replace", "delete", "insert", "wrap", "swap", "nest", "case"]))
        TRIED[f"mutation:{how}"] += 1
        if how == "replace":
            value = _set(value, where, draw(HOSTILE))
        elif how == "delete" and where:
            parent = _get(value, where[:-1])
            del parent[where[-1]]
        elif how == "insert" and isinstance(node, dict | list):
            if isinstance(node, dict):
                node[draw(st.sampled_from([*_WORDS, "properties", "value", "children"]))] = draw(
                    HOSTILE
                )
            else:
                node.insert(draw(st.integers(0, len(node))), draw(HOSTILE))
        elif how == "wrap":
            value = _set(value, where, draw(st.sampled_from([[node], {"value": [node]}])))
        elif how == "swap":
            other = _get(value, draw(st.sampled_from(places)))
            value = _set(value, where, _clone(other))
        elif how == "nest":
            depth = draw(st.sampled_from([5, 20, 2000]))
            for _ in range(depth):
                node = [node]
            value = _set(value, where, node)
        elif how == "case" and isinstance(node, str):
            value = _set(value, where, node.swapcase())
    return value


def _as_file(value: Any, folder: Path, corrupt: int | None) -> Any:
    """``value`` written to a JSON file (with one byte made invalid UTF-8), or ``value`` when it
    is not JSON."""
    try:
        data = json.dumps(value, default=repr).encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError, TypeError):
        return value
    if corrupt is not None and data:
        at = corrupt % len(data)
        data = data[:at] + b"\xff" + data[at:]
    path = folder / "source.json"
    path.write_bytes(data)
    return path


def _check_model(model: AccessModel) -> None:
    """Every question answers, without error, and the bulk answers agree with ``can``."""
    people = ["alice", "G-eng", "erin", "dave", "sp1", "ghost", ALL_PRINCIPALS]
    people += [key for key in list(model.principals)[:4] if key not in people]
    resources = (V100, GAL1, SHARED_V, COMMUNITY_V, "/", S1, RG_APP)
    for eligible, conditions in ((False, "unknown"), (True, "grant")):
        options = {"at": NOW, "include_eligible": eligible, "conditions": conditions}
        for action in (READ, WRITE):
            for resource in resources:
                who = model.who_can(action, resource, **options)  # type: ignore[arg-type]
                listed = {k.lower() for k in who}
                for person in people:
                    decision = model.can(person, action, resource, **options)  # type: ignore[arg-type]
                    assert decision.explain()
                    assert (person in who) == decision.allowed, (person, resource)
                    if person.lower() in listed:
                        assert who[person].allowed
            for person in people:
                what = {str(r).lower() for r in model.what_can(person, action, **options)}  # type: ignore[arg-type]
                for resource in (GAL1, V100):
                    allowed = model.can(person, action, resource, **options).allowed  # type: ignore[arg-type]
                    assert (resource.lower() in what) == allowed, (person, resource)
    for person in people[:3]:
        assert model.can_deploy(person, V100, RG_APP, at=NOW).explain()
        model.transitive_groups(person, at=NOW, include_eligible=True)
        str(model.sharing_matrix(person, at=NOW))
    set(model.who_can_deploy(SHARED_V, RG_APP, at=NOW))
    for role in model.role_definitions:
        role.problems()
    for orphan in model.orphans():
        str(orphan)
    model.graph.number_of_edges()
    repr(model)


@BUDGET
@given(data=st.data(), source=st.sampled_from(sorted(SEEDS)))
def test_mutated_sources_build_a_model_or_raise_a_library_error(
    data: st.DataObject, source: str
) -> None:
    payload = data.draw(mutated(SEEDS[source]), label="payload")
    in_file = data.draw(st.sampled_from([None, None, None, "plain", "corrupt"]), label="file")
    inputs = dict(SEEDS)
    with tempfile.TemporaryDirectory() as folder:
        if in_file is not None:
            at = data.draw(st.integers(0, 10_000)) if in_file == "corrupt" else None
            payload = _as_file(payload, Path(folder), at)
        inputs[source] = payload
        TRIED[f"payload:{source}{':file' if in_file else ''}"] += 1
        try:
            model = AccessModel.from_azure(reference_inventory(), **inputs)
        except ImageGalleryError as err:
            TRIED[f"rejected:{type(err).__name__}"] += 1
            message = str(err)
        else:
            TRIED["accepted"] += 1
            _check_model(model)
            return
    assert len(message) < 2_000


ARGUMENTS = st.one_of(HOSTILE, st.sampled_from([READ, V100, "alice", SHARED_V, COMMUNITY_V]))


@BUDGET
@given(principal=ARGUMENTS, action=ARGUMENTS, resource=ARGUMENTS, target=ARGUMENTS)
def test_hostile_arguments_are_answered_or_refused(
    principal: Any, action: Any, resource: Any, target: Any
) -> None:
    model = _seed_model()
    questions: list[Callable[[], object]] = [
        lambda: model.can(principal, action, resource, at=NOW).explain(),
        lambda: list(model.who_can(action, resource, at=NOW)),
        lambda: list(model.what_can(principal, action, at=NOW)),
        lambda: model.can_deploy(principal, resource, target, at=NOW),
        lambda: model.transitive_groups(principal, at=NOW),
        lambda: model.sharing_matrix(principal, at=NOW),
    ]
    messages = []
    for ask in questions:
        TRIED["question"] += 1
        try:
            ask()
        except ImageGalleryError as err:
            TRIED[f"refused:{type(err).__name__}"] += 1
            messages.append(str(err))
    assert all(len(m) < 2_000 for m in messages)


_MODELS: list[AccessModel] = []


def _seed_model() -> AccessModel:
    if not _MODELS:
        _MODELS.append(AccessModel.from_azure(reference_inventory(), **SEEDS))
    return _MODELS[0]


def test_the_seeds_build_a_model_that_answers() -> None:
    model = _seed_model()
    assert model.can("alice", READ, V100, at=NOW).allowed
    assert model.can("erin", READ, V100, at=NOW, include_eligible=True).allowed
    _check_model(model)


@pytest.fixture(autouse=True, scope="module")
def _report() -> Iterator[None]:
    yield
    if LONG:
        print("\naccess fuzzing:")
        for key, count in sorted(TRIED.items()):
            print(f"  {key}: {count:,}")
