"""Decisions, their explanation, and the answers of who_can and what_can; as tables and
displays: one row per path, one row per answer."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import attrs
import pytest

from imagegallery import (
    ResourceId,
    ResourceKind,
    ResourceNotFoundError,
    sample_inventory,
)
from imagegallery.access import (
    VERSION_READ,
    AccessModel,
    AccessPath,
    Decision,
    DenyPath,
    Effect,
    sample_access_model,
)
from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET
from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
from tests.access._fixture import (
    READ,
    RG_IMAGES,
    UBUNTU,
    V100,
    V200,
    model,
    ra,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
AT = datetime(2025, 3, 1, tzinfo=UTC)


def test_decision_explain_and_bool() -> None:
    m = model(
        [ra("G-eng", "Reader", RG_IMAGES, principalType="Group")],
        directory=[{"id": "erin", "displayName": "Erin E."}],
    )
    decision = m.can("ERIN", READ, V200, at=NOW)
    assert decision
    assert decision.principal == "erin"
    assert decision.label == "Erin E."
    text = decision.explain()
    assert text.splitlines()[0].startswith(
        "Erin E. (erin): Microsoft.Compute/galleries/images/versions/read on "
    )
    assert "grant: Erin E. → G-devs → G-eng ⇒ Reader [*/read]" in text
    assert not m.can("nobody", READ, V200, at=NOW)
    assert m.principals["ERIN"].label == "Erin E."
    assert "Erin" in m.principals and 5 not in m.principals  # type: ignore[comparison-overlap]
    assert list(m.principals) == ["erin"]


def test_access_maps() -> None:
    m = model(
        [ra("G-eng", "Reader", RG_IMAGES, principalType="Group"), ra("alice", "Reader", UBUNTU)]
    )
    who = m.who_can(READ, V100, at=NOW)
    assert list(who) == ["alice", "erin", "G-devs", "G-eng"]
    assert "ALICE" in who and "G-DEVS" in who
    assert who["Alice"].allowed
    number: object = 5
    assert number not in who
    with pytest.raises(ResourceNotFoundError):
        who["bob"]
    assert repr(who) == "AccessMap([alice, erin, G-devs, G-eng])"
    what = m.what_can("alice", READ, at=NOW)
    assert [str(r) for r in what] == [UBUNTU, V100, f"{UBUNTU}/versions/1.1.0"]
    assert V100.upper() in what
    assert what[V100.lower()].allowed
    versions = m.what_can("alice", READ, at=NOW, kinds=[ResourceKind.IMAGE_VERSION])
    assert len(versions) == 2


@pytest.fixture(scope="module")
def sample_model() -> AccessModel:
    return sample_access_model(sample_inventory())


VERSION = next(sample_inventory().versions()).id


def test_one_row_per_deny_and_grant_path(sample_model: AccessModel) -> None:
    decision = sample_model.can(P["dave"], VERSION_READ, VERSION, at=AT)
    rows = decision.to_records()
    assert len(rows) == len(decision.denials) + len(decision.paths) == 2
    deny, grant = rows
    assert (deny["path"], deny["path_effect"], deny["holder"]) == (
        "deny",
        "denied",
        P["contractors"],
    )
    assert deny["deny_assignment"] == "No contractor reads of golden images"
    assert deny["role"] is None and deny["via"] is None
    assert (grant["path"], grant["via"], grant["role"], grant["pattern"]) == (
        "grant",
        "rbac",
        "Reader",
        "*/read",
    )
    assert grant["chain"] == "Dave → Contractors → Platform devs → Platform"
    assert grant["scope"].endswith("/galleries/myGallery")
    assert all(r["effect"] == "denied" and r["allowed"] is False for r in rows)
    assert all(r["at"] == AT and r["part_of"] is None for r in rows)


def test_a_decision_without_paths_keeps_one_row(sample_model: AccessModel) -> None:
    (row,) = sample_model.can("nobody", VERSION_READ, VERSION, at=AT).to_records()
    assert (row["effect"], row["allowed"], row["path"], row["chain"]) == (
        "notGranted",
        False,
        None,
        None,
    )


def test_a_deploy_decision_has_the_rows_of_its_requirements(sample_model: AccessModel) -> None:
    decision = sample_model.can_deploy(P["alice"], VERSION, SAMPLE_DEPLOY_TARGET, at=AT)
    rows = decision.to_records()
    assert {r["part_of"] for r in rows} == {"deploy"}
    assert [r["action"] for r in rows] == [
        VERSION_READ,
        "Microsoft.Compute/virtualMachines/write",
    ]
    assert rows[1]["role"] == "Virtual Machine Contributor"
    html = decision._repr_html_()
    assert html.count("<table>") == 3 and "deploy on" in html


def test_answers_of_a_query_one_row_each(sample_model: AccessModel) -> None:
    who = sample_model.who_can(VERSION_READ, VERSION, at=AT)
    rows = who.to_records()
    assert [r["principal"] for r in rows] == list(who)
    for row in rows:
        decision = who[row["principal"]]
        assert row["allowed"] is True
        assert (row["grants"], row["denials"]) == (len(decision.paths), len(decision.denials))
    alice = next(r for r in rows if r["principal_label"] == "Alice")
    assert (alice["via"], alice["roles"]) == ("rbac", "Reader")
    assert who.to_columns()["principal"] == list(who)
    html = who._repr_html_()
    assert f"{VERSION_READ} on {VERSION}: 8 answers" in html


# -- explanations computed when first read --------------------------------------------------------


def _eager(decision: Decision) -> Decision:
    """The same decision built with its explanation given up front."""
    return Decision(
        principal=decision.principal,
        action=decision.action,
        resource=decision.resource,
        at=decision.at,
        effect=decision.effect,
        allowed=decision.allowed,
        paths=decision.paths,
        denials=decision.denials,
        warnings=decision.warnings,
        requirements=decision.requirements,
        label=decision.label,
    )


@pytest.mark.parametrize("who", ["alice", "dave", "erin", "carol", "sam"])
def test_a_model_decision_equals_the_same_decision_built_eagerly(
    sample_model: AccessModel, who: str
) -> None:
    version = next(sample_inventory().versions()).id
    lazy, again = (sample_model.can(P[who], VERSION_READ, version, at=AT) for _ in range(2))
    # compared, hashed and shown before anything else reads the explanation
    assert lazy == _eager(again)
    assert hash(lazy) == hash(_eager(again))
    assert repr(sample_model.can(P[who], VERSION_READ, version, at=AT)) == repr(_eager(again))
    fresh = sample_model.can(P[who], VERSION_READ, version, at=AT)
    assert fresh.explain() == _eager(again).explain()
    assert fresh.to_records() == _eager(again).to_records()
    assert pickle.loads(pickle.dumps(again)) == again
    assert attrs.evolve(sample_model.can(P[who], VERSION_READ, version, at=AT)) == again


def test_a_decision_with_an_explanation_to_compute_calls_it_once() -> None:
    calls: list[int] = []

    def later() -> tuple[tuple[AccessPath, ...], tuple[DenyPath, ...], tuple[str, ...]]:
        calls.append(1)
        return (), (), ("a note",)

    root = ResourceId.root()
    d = Decision("p", "a", root, NOW, Effect.NOT_GRANTED, False, later, later, later)
    assert calls == []
    assert d.warnings == ("a note",)
    assert (d.paths, d.denials, d.warnings) == ((), (), ("a note",))
    assert calls == [1]
    assert d == Decision("p", "a", root, NOW, Effect.NOT_GRANTED, False, warnings=("a note",))
    assert d != Decision("p", "a", root, NOW, Effect.NOT_GRANTED, False)
    # a field given explicitly stays as given
    e = Decision("p", "a", root, NOW, Effect.NOT_GRANTED, False, later, later, ("given",))
    assert (e.paths, e.warnings) == ((), ("given",))


def test_a_decision_pickles_with_every_explanation_field_computed() -> None:
    def later() -> tuple[tuple[AccessPath, ...], tuple[DenyPath, ...], tuple[str, ...]]:
        return (), (), ("a note",)

    root = ResourceId.root()
    d = Decision("p", "a", root, NOW, Effect.NOT_GRANTED, False, (), later, later)
    assert d.paths == ()  # given: the functions in the other fields are not called yet
    copied = pickle.loads(pickle.dumps(d))
    assert copied.warnings == ("a note",)
    assert copied == d
