"""Hypothesis strategies for small random access models, as ``az``-shaped records for the model
and as plain facts for the oracle (built side by side from the same draws)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from imagegallery import Inventory, load_arm
from imagegallery.access import AccessModel
from tests.access import _oracle as o

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
EVERYONE = o.EVERYONE
_C = "providers/Microsoft.Compute/galleries"
G1 = f"/subscriptions/s1/resourceGroups/rg1/{_C}/g1"
G10 = f"/subscriptions/s1/resourceGroups/rg10/{_C}/g10"
G2 = f"/subscriptions/s2/resourceGroups/rg1/{_C}/g2"
VERSIONS = {
    f"{G1}/images/d1": ["1.0.0", "1.0.1"],
    f"{G1}/images/d2": ["1.0.0"],
    f"{G10}/images/d1": ["1.0.0"],
    f"{G2}/images/d1": ["2.0.0"],
}
GALLERIES = [G1, G10, G2]
RESOURCES = [
    G1,
    f"{G1}/images/d1",
    f"{G1}/images/d1/versions/1.0.0",
    f"{G1}/images/d1/versions/1.0.1",
    f"{G1}/images/d2",
    f"{G1}/images/d2/versions/1.0.0",
    G10,
    f"{G10}/images/d1",
    f"{G10}/images/d1/versions/1.0.0",
    G2,
    f"{G2}/images/d1",
    f"{G2}/images/d1/versions/2.0.0",
]
MG_A = "/providers/Microsoft.Management/managementGroups/mg-a"
MG_B = "/providers/Microsoft.Management/managementGroups/mg-b"
OTHER_SCOPES = [
    "/",
    MG_A,
    MG_B,
    "/subscriptions/s1",
    "/subscriptions/s2",
    "/subscriptions/s1/resourceGroups/rg1",
    "/subscriptions/s1/resourceGroups/rg10",
    "/subscriptions/s2/resourceGroups/rg1",
    "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
]
MISSING_SCOPES = [
    f"/subscriptions/s1/resourceGroups/rg1/{_C}/gone",
    f"{G1}/images/d1/versions/9.9.9",
]
SCOPES = RESOURCES + OTHER_SCOPES + MISSING_SCOPES
MG_PARENT = {"s1": "mg-b", "mg-b": "mg-a", "s2": "mg-a"}
ORACLE_MG = {
    "/subscriptions/s1": MG_B.lower(),
    MG_B.lower(): MG_A.lower(),
    "/subscriptions/s2": MG_A.lower(),
}
USERS = ["u0", "u1", "u2", "u3", "sp0"]
GROUPS = ["grp0", "grp1", "grp2", "grp3"]
PRINCIPALS = USERS + GROUPS
GHOST = "ghost"
ACTIONS = [
    "Microsoft.Compute/galleries/images/versions/read",
    "Microsoft.Compute/galleries/images/versions/write",
    "Microsoft.Compute/galleries/images/read",
    "Microsoft.Compute/galleries/read",
    "Microsoft.Compute/galleries/share/action",
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Compute/virtualMachines/write",
]
PATTERNS = [
    "*",
    "*/read",
    "*/write",
    "Microsoft.Compute/*",
    "Microsoft.Compute/galleries/*",
    "Microsoft.Compute/galleries/images/*",
    "Microsoft.Compute/*/read",
    "Microsoft.Compute/galleries/images/versions/read",
    "Microsoft.Compute/galleries/*/write",
    "microsoft.compute/GALLERIES/share/ACTION",
    "Microsoft.Authorization/*",
]
BUILTINS = {
    "reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "image-reader": "cf7c76d2-98a3-4358-a134-615aa78bf44d",
    "publisher": "85a2d0d9-2eba-4c9c-b355-11c2cc0788ab",
    "sharing-admin": "1ef6a3be-d0ac-425d-8c01-acb62866290b",
}
MISSING_ROLE = "99999999-9999-9999-9999-999999999999"
WINDOWS = {
    "none": (None, None),
    "past": (NOW - timedelta(days=10), NOW - timedelta(days=1)),
    "current": (NOW - timedelta(days=1), NOW + timedelta(days=1)),
    "future": (NOW + timedelta(days=1), NOW + timedelta(days=10)),
}


@cache
def inventory() -> Inventory:
    """The inventory every scenario shares."""
    records: list[dict[str, Any]] = []
    for gid in GALLERIES:
        records.append({"id": gid, "type": "Microsoft.Compute/galleries", "location": "westeurope"})
    for n, (did, versions) in enumerate(VERSIONS.items()):
        records.append(
            {
                "id": did,
                "type": "Microsoft.Compute/galleries/images",
                "location": "westeurope",
                "properties": {
                    "osType": "Linux",
                    "osState": "Generalized",
                    "identifier": {"publisher": "p", "offer": "o", "sku": f"s{n}"},
                },
            }
        )
        for v in versions:
            records.append(
                {
                    "id": f"{did}/versions/{v}",
                    "location": "westeurope",
                    "type": "Microsoft.Compute/galleries/images/versions",
                    "properties": {"storageProfile": {}},
                }
            )
    return load_arm(records)


@cache
def builtin_oracle_roles() -> list[o.Role]:
    """The shipped built-in roles, read straight from the data file."""
    path = Path(__file__).parents[2] / "src/imagegallery/access/_data/builtin_roles.json"
    out = []
    for record in json.loads(path.read_text())["value"]:
        blocks = [
            o.Block(b["actions"], b["notActions"], b["dataActions"], b["notDataActions"])
            for b in record["permissions"]
        ]
        out.append(o.Role(record["name"].lower(), blocks))
    return out


@dataclass
class Scenario:
    """One random model: the inputs for ``AccessModel.from_azure`` and the oracle's facts."""

    role_definitions: list[dict[str, Any]] = field(default_factory=list)
    role_assignments: list[dict[str, Any]] = field(default_factory=list)
    deny_assignments: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    directory: list[dict[str, Any]] = field(default_factory=list)
    facts: o.Facts = field(default_factory=lambda: o.Facts([], [], [], [], {}, []))

    def model(self, inv: Inventory | None = None) -> AccessModel:
        return AccessModel.from_azure(
            inv or inventory(),
            role_definitions=[*self.role_definitions, *_builtin_records()]
            if self.role_definitions
            else None,
            role_assignments=self.role_assignments,
            deny_assignments=self.deny_assignments,
            memberships=self.memberships,
            directory=self.directory,
            management_groups=MG_PARENT,
        )


@cache
def _builtin_records() -> tuple[dict[str, Any], ...]:
    path = Path(__file__).parents[2] / "src/imagegallery/access/_data/builtin_roles.json"
    return tuple(json.loads(path.read_text())["value"])


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@st.composite
def blocks(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    actions = draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3))
    not_actions = draw(st.lists(st.sampled_from(PATTERNS[1:]), max_size=2))
    return actions, not_actions


@st.composite
def scenarios(
    draw: st.DrawFn, *, static: bool = False, denies: bool = True, busy: bool = False
) -> Scenario:
    """A random access model over :func:`inventory`; ``busy`` crowds many assignments onto a
    few scopes (so the model's per-scope masks are used)."""
    sc = Scenario()
    roles = [*builtin_oracle_roles()]
    role_ids = list(BUILTINS.values())
    for n in range(draw(st.integers(0, 2))):
        guid = f"c0c0c0c0-0000-4000-8000-{n:012d}"
        drawn = draw(st.lists(blocks(), min_size=1, max_size=2))
        sc.role_definitions.append(
            {
                "name": guid,
                "roleName": f"custom-{n}",
                "roleType": "CustomRole",
                "permissions": [{"actions": a, "notActions": na} for a, na in drawn],
            }
        )
        roles.append(o.Role(guid, [o.Block(list(a), list(na)) for a, na in drawn]))
        role_ids.append(guid)
    edges = []
    for _ in range(draw(st.integers(0, 8))):
        group = draw(st.sampled_from(GROUPS))
        member = draw(st.sampled_from(PRINCIPALS))
        eligible = False if static else draw(st.booleans())
        window = "none" if static else draw(st.sampled_from(list(WINDOWS)))
        start, end = WINDOWS[window]
        sc.memberships.append(
            {
                "groupId": group,
                "memberId": member,
                "kind": "eligible" if eligible else "active",
                "start": _iso(start),
                "end": _iso(end),
            }
        )
        edges.append(o.Edge(group, member, eligible, start, end))
    grants = []
    scope_pool = [G1, "/subscriptions/s1", RESOURCES[2]] if busy else SCOPES
    for n in range(draw(st.integers(8, 24) if busy else st.integers(1, 10))):
        principal = draw(st.sampled_from([*PRINCIPALS, GHOST]))
        role = draw(st.sampled_from([*role_ids, MISSING_ROLE]))
        scope = draw(st.sampled_from(scope_pool))
        eligible = draw(st.booleans())
        start, end = WINDOWS[draw(st.sampled_from(list(WINDOWS)))]
        condition = draw(st.sampled_from([None, None, "@Resource[x] StringEquals 'y'"]))
        ptype = draw(st.sampled_from(["User", "Group", "ServicePrincipal", "Unknown"]))
        record: dict[str, Any] = {
            "id": f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/ra-{n}",
            "principalId": principal,
            "principalType": ptype,
            "roleDefinitionId": f"/providers/Microsoft.Authorization/roleDefinitions/{role}",
            "scope": scope,
            "condition": condition,
            "startDateTime": _iso(start),
            "endDateTime": _iso(end),
        }
        if eligible:
            record["type"] = "Microsoft.Authorization/roleEligibilityScheduleInstances"
        sc.role_assignments.append(record)
        grants.append(
            o.Grant(scope.lower(), principal, role, eligible, start, end, condition, ptype)
        )
    deny_facts = []
    for n in range(draw(st.integers(0, 3) if denies else st.just(0))):
        scope = draw(st.sampled_from(SCOPES))
        actions, not_actions = draw(blocks())
        everyone = draw(st.sampled_from([True, False, False]))
        targets = (
            [EVERYONE]
            if everyone
            else draw(st.lists(st.sampled_from(PRINCIPALS), min_size=1, max_size=2))
        )
        excluded = draw(st.lists(st.sampled_from(PRINCIPALS), max_size=2))
        here_only = draw(st.booleans())
        audit = draw(st.sampled_from([False, False, True]))
        sc.deny_assignments.append(
            {
                "id": f"{scope.rstrip('/')}/providers/Microsoft.Authorization/denyAssignments/d{n}",
                "properties": {
                    "denyAssignmentName": f"d{n}",
                    "scope": scope,
                    "permissions": [{"actions": actions, "notActions": not_actions}],
                    "principals": [{"id": p} for p in targets],
                    "excludePrincipals": [{"id": p} for p in excluded],
                    "doNotApplyToChildScopes": here_only,
                    "denyAssignmentEffect": "audit" if audit else "enforced",
                },
            }
        )
        deny_facts.append(
            o.Deny(scope, [o.Block(actions, not_actions)], targets, excluded, here_only, audit)
        )
    directory: list[str] = []
    if draw(st.booleans()):
        sc.directory = [
            {"id": p, "principalType": "Group" if p in GROUPS else "User"} for p in PRINCIPALS
        ]
        directory = list(PRINCIPALS)
    sc.facts = o.Facts(
        roles=roles,
        grants=grants,
        denies=deny_facts,
        edges=edges,
        mg_parent=ORACLE_MG,
        inventory=[r.lower() for r in RESOURCES],
        directory=directory,
    )
    return sc


def swap_case(text: str, flips: list[bool]) -> str:
    """``text`` with the case of some letters flipped (the flips cycle over the text)."""
    if not flips:
        return text
    return "".join(ch.swapcase() if flips[i % len(flips)] else ch for i, ch in enumerate(text))
