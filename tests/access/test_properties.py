"""Property tests: the access model against the brute-force oracle, and its invariants."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery import ResourceId, ResourceKind, load_arm
from imagegallery.access import AccessModel, DenyAssignment, Permission, RoleAssignment
from tests.access import _oracle as oracle
from tests.access._scenarios import (
    ACTIONS,
    BUILTINS,
    GALLERIES,
    GHOST,
    NOW,
    OTHER_SCOPES,
    PATTERNS,
    PRINCIPALS,
    RESOURCES,
    SCOPES,
    Scenario,
    inventory,
    scenarios,
    swap_case,
)

UNIVERSE = [*PRINCIPALS, GHOST, "stranger"]
OPTIONS = st.fixed_dictionaries(
    {
        "include_eligible": st.booleans(),
        "conditions": st.sampled_from(["unknown", "grant", "no-grant"]),
    }
)


ANY_SCENARIO = st.tuples(st.booleans(), st.booleans()).flatmap(
    lambda flags: scenarios(static=flags[0], busy=flags[1])
)


@settings(max_examples=150)
@given(
    sc=ANY_SCENARIO,
    actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=2, unique=True),
    options=OPTIONS,
)
def test_can_agrees_with_the_oracle(
    sc: Scenario, actions: list[str], options: dict[str, Any]
) -> None:
    model = sc.model()
    for action in actions:
        for resource in RESOURCES + OTHER_SCOPES:
            for principal in UNIVERSE:
                decision = model.can(principal, action, resource, at=NOW, **options)
                expected = oracle.decide(sc.facts, principal, action, resource, NOW, **options)
                assert (decision.effect.value, decision.allowed) == expected, (
                    principal,
                    action,
                    resource,
                )
                assert bool(decision.denials) == (decision.effect.value == "denied")


@settings(max_examples=100)
@given(sc=ANY_SCENARIO, action=st.sampled_from(ACTIONS), options=OPTIONS)
def test_who_can_what_can_and_can_agree(sc: Scenario, action: str, options: dict[str, Any]) -> None:
    model = sc.model()
    what = {p: set(model.what_can(p, action, at=NOW, **options)) for p in UNIVERSE}
    for resource in RESOURCES + OTHER_SCOPES:
        who = {k.lower() for k in model.who_can(action, resource, at=NOW, **options)}
        rid = ResourceId.parse(resource)
        for p in UNIVERSE:
            allowed = model.can(p, action, resource, at=NOW, **options).allowed
            assert (p.lower() in who) == allowed, (p, resource)
            if resource in RESOURCES:
                assert (rid in what[p]) == allowed, (p, resource)
        assert who <= {p.lower() for p in UNIVERSE}


@settings(max_examples=60)
@given(
    sc=scenarios(),
    principal=st.sampled_from([*PRINCIPALS, GHOST]),
    role=st.sampled_from(list(BUILTINS.values())),
    scope=st.sampled_from(SCOPES),
    action=st.sampled_from(ACTIONS),
)
def test_adding_a_role_assignment_never_removes_access(
    sc: Scenario, principal: str, role: str, scope: str, action: str
) -> None:
    before = sc.model()
    after = before.with_role_assignments(
        RoleAssignment(scope=scope, principal_id=principal, role_definition_id=role)
    )
    for resource in RESOURCES:
        assert set(before.who_can(action, resource, at=NOW)) <= set(
            after.who_can(action, resource, at=NOW)
        )
        for p in UNIVERSE:
            if before.can(p, action, resource, at=NOW).allowed:
                assert after.can(p, action, resource, at=NOW).allowed


@settings(max_examples=100)
@given(
    sc=ANY_SCENARIO,
    scope=st.sampled_from(SCOPES),
    patterns=st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2),
    targets=st.lists(st.sampled_from([*PRINCIPALS, oracle.EVERYONE]), min_size=1, max_size=2),
    excluded=st.lists(st.sampled_from(PRINCIPALS), max_size=2),
    here_only=st.booleans(),
    action=st.sampled_from(ACTIONS),
)
def test_adding_a_deny_never_adds_access(
    *,
    sc: Scenario,
    scope: str,
    patterns: list[str],
    targets: list[str],
    excluded: list[str],
    here_only: bool,
    action: str,
) -> None:
    before = sc.model()
    after = before.with_deny_assignments(
        DenyAssignment(
            id="extra",
            scope=scope,
            permissions=[Permission(actions=patterns)],
            principals=targets,
            exclude_principals=excluded,
            do_not_apply_to_child_scopes=here_only,
        )
    )
    what = {p: {str(r) for r in after.what_can(p, action, at=NOW)} for p in UNIVERSE}
    for resource in RESOURCES:
        who = {k.lower() for k in after.who_can(action, resource, at=NOW)}
        for p in UNIVERSE:
            allowed = after.can(p, action, resource, at=NOW).allowed
            assert (p.lower() in who) == allowed
            assert (resource in what[p]) == allowed
            if allowed:
                assert before.can(p, action, resource, at=NOW).allowed


def _permute(value: Any, flips: list[bool]) -> Any:
    if isinstance(value, str) and (value.startswith("/") or value in UNIVERSE or "-" in value):
        return swap_case(value, flips)
    if isinstance(value, dict):
        return {
            k: v
            if k
            in (
                "type",
                "kind",
                "start",
                "end",
                "startDateTime",
                "endDateTime",
                "denyAssignmentEffect",
                "condition",
                "principalType",
            )
            else _permute(v, flips)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_permute(v, flips) for v in value]
    return value


@settings(max_examples=40)
@given(
    sc=scenarios(),
    flips=st.lists(st.booleans(), min_size=1, max_size=7),
    action=st.sampled_from(ACTIONS),
)
def test_results_do_not_depend_on_id_case(sc: Scenario, flips: list[bool], action: str) -> None:
    plain = sc.model()
    arm = [_permute(r, flips) for r in inventory().to_arm()]
    permuted = Scenario(
        role_definitions=_permute(sc.role_definitions, flips),
        role_assignments=_permute(sc.role_assignments, flips),
        deny_assignments=_permute(sc.deny_assignments, flips),
        memberships=_permute(sc.memberships, flips),
        directory=_permute(sc.directory, flips),
    ).model(load_arm(arm))
    for resource in RESOURCES:
        swapped = swap_case(resource, flips)
        assert {k.lower() for k in plain.who_can(action, resource, at=NOW)} == {
            k.lower() for k in permuted.who_can(swap_case(action, flips), swapped, at=NOW)
        }
        for p in UNIVERSE:
            a = plain.can(p, action, resource, at=NOW)
            b = permuted.can(swap_case(p, flips), swap_case(action, flips), swapped, at=NOW)
            assert (a.effect, a.allowed) == (b.effect, b.allowed)


@given(
    gallery=st.sampled_from(GALLERIES),
    principal=st.sampled_from(PRINCIPALS),
    role=st.sampled_from([BUILTINS["reader"], BUILTINS["owner"], BUILTINS["image-reader"]]),
)
def test_a_grant_at_a_gallery_reaches_everything_under_it_and_nothing_else(
    gallery: str, principal: str, role: str
) -> None:
    model = AccessModel(
        inventory(),
        role_assignments=[
            RoleAssignment(scope=gallery, principal_id=principal, role_definition_id=role)
        ],
    )
    action = "Microsoft.Compute/galleries/images/versions/read"
    under = {r for r in RESOURCES if r == gallery or r.startswith(gallery + "/")}
    reached = {str(r) for r in model.what_can(principal, action, at=NOW)}
    assert reached == under
    versions = {
        str(r)
        for r in model.what_can(principal, action, at=NOW, kinds=[ResourceKind.IMAGE_VERSION])
    }
    assert versions == {r for r in under if "/versions/" in r}
    for resource in RESOURCES:
        assert model.can(principal, action, resource, at=NOW).allowed == (resource in under)
    read_any = {
        "Microsoft.Compute/galleries/images/versions/read",
        "Microsoft.Compute/galleries/images/read",
    }
    for act in read_any:
        for resource in RESOURCES:
            if resource not in under:
                assert not model.can(principal, act, resource, at=NOW).allowed


@given(sc=scenarios(static=True), action=st.sampled_from(ACTIONS))
def test_static_and_general_membership_evaluation_agree(sc: Scenario, action: str) -> None:
    """With only permanent memberships, the set-algebra path of who_can is taken; it must give
    what evaluating every principal gives."""
    model = sc.model()
    for resource in RESOURCES:
        expected = {p for p in UNIVERSE if oracle.decide(sc.facts, p, action, resource, NOW)[1]}
        assert {k.lower() for k in model.who_can(action, resource, at=NOW)} == expected


@settings(max_examples=40)
@given(sc=scenarios(denies=False), principal=st.sampled_from(PRINCIPALS))
def test_reader_within_contributor_within_owner(sc: Scenario, principal: str) -> None:
    """For reads and writes (not share/action), Reader ⊆ Contributor ⊆ Owner at any scope."""
    base = sc.model()
    models = {
        name: base.with_role_assignments(
            RoleAssignment(
                scope=GALLERIES[0], principal_id=principal, role_definition_id=BUILTINS[name]
            )
        )
        for name in ("reader", "contributor", "owner")
    }
    for action in ACTIONS[:4]:
        for resource in RESOURCES:
            r, c, o = (
                models[n].can(principal, action, resource, at=NOW).allowed
                for n in ("reader", "contributor", "owner")
            )
            assert (not r or c) and (not c or o)
