"""Example tests of resolve_latest, explain_latest, resolve_recent and latest_by_region: the known
failures of other tools."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from packaging.specifiers import SpecifierSet

from imagegallery import (
    ImageVersion,
    InvalidFieldError,
    InvalidRegionError,
    InvalidTypeError,
    Inventory,
    NaiveDatetimeError,
    NoEligibleVersionError,
    ResourceNotFoundError,
    sample_inventory,
)
from imagegallery.errors import InvalidSpecifierError
from imagegallery.resolve import (
    MAX_SPEC_DIGITS,
    MAX_SPEC_LENGTH,
    ReasonKind,
    Verdict,
    definition_regions,
    explain_latest,
    latest_by_region,
    latest_without,
    resolve_latest,
    resolve_recent,
)
from imagegallery.resolve._index import IdentityMemo, VersionIndex, index_of
from tests.resolve._oracle import definition, version

AT = datetime(2025, 3, 1, tzinfo=UTC)


def names(versions: list[ImageVersion]) -> list[str]:
    return [str(v.name) for v in versions]


# -- order -------------------------------------------------------------------------------------


def test_numeric_order_not_string_order() -> None:
    d = definition(version("1.0.9"), version("1.0.10"))
    assert str(resolve_latest(d, at=AT).name) == "1.0.10"


def test_version_number_wins_over_publish_date() -> None:
    d = definition(
        version("1.0.10", published="2024-01-01T00:00:00Z"),
        version("1.0.9", published="2024-06-01T00:00:00Z"),
    )
    assert str(resolve_latest(d, at=AT).name) == "1.0.10"
    assert str(resolve_recent(d, at=AT).name) == "1.0.9"


def test_major_then_minor_then_patch() -> None:
    d = definition(version("1.9.9"), version("2.0.0"), version("1.10.0"), version("0.99.99"))
    assert str(resolve_latest(d, at=AT).name) == "2.0.0"
    assert str(resolve_latest(d, at=AT, spec="<2").name) == "1.10.0"


def test_largest_component() -> None:
    d = definition(version("1.0.2147483647"), version("1.0.9"), version("1.1.0", exclude=True))
    assert str(resolve_latest(d, at=AT).name) == "1.0.2147483647"
    top = definition(version("2147483647.2147483647.2147483647"), version("1.0.0"))
    assert str(resolve_latest(top, at=AT).name) == "2147483647.2147483647.2147483647"


# -- exclusion ---------------------------------------------------------------------------------


def test_regional_false_overrides_version_true() -> None:
    d = definition(
        version("1.0.0", {"westeurope": None, "eastus": None}),
        version("2.0.0", {"westeurope": None, "eastus": False}, exclude=True),
    )
    assert str(resolve_latest(d, region="eastus", at=AT).name) == "2.0.0"
    assert str(resolve_latest(d, region="westeurope", at=AT).name) == "1.0.0"


def test_regional_true_overrides_version_false() -> None:
    d = definition(
        version("1.0.0", {"westeurope": None, "eastus": None}),
        version("2.0.0", {"westeurope": None, "eastus": True}, exclude=False),
    )
    assert str(resolve_latest(d, region="eastus", at=AT).name) == "1.0.0"
    assert str(resolve_latest(d, region="westeurope", at=AT).name) == "2.0.0"


@pytest.mark.parametrize(("version_flag", "expected"), [(True, "1.0.0"), (False, "2.0.0")])
def test_regional_none_inherits(version_flag: bool, expected: str) -> None:
    d = definition(
        version("1.0.0", {"eastus": None}),
        version("2.0.0", {"eastus": None}, exclude=version_flag),
    )
    assert str(resolve_latest(d, region="eastus", at=AT).name) == expected


def test_without_region_a_version_counts_if_eligible_somewhere() -> None:
    d = definition(
        version("1.0.0", {"westeurope": None}),
        version("2.0.0", {"westeurope": None, "eastus": False}, exclude=True),
        version("3.0.0", {"westeurope": True, "eastus": True}),
    )
    assert str(resolve_latest(d, at=AT).name) == "2.0.0"


def test_reason_names_the_flag_that_decided() -> None:
    d = definition(
        version("1.0.0", {"eastus": None}),
        version("2.0.0", {"eastus": True}),
        version("3.0.0", {"eastus": None}, exclude=True),
    )
    reasons = explain_latest(d, region="eastus", at=AT).reasons()
    assert reasons == {
        "3.0.0": ("excluded from latest in eastus (version flag)",),
        "2.0.0": ("excluded from latest in eastus (regional flag)",),
    }


# -- regions and replication -------------------------------------------------------------------


def test_newer_version_still_replicating_in_region() -> None:
    d = definition(
        version("1.0.9", {"westeurope": None, "eastus": None}),
        version(
            "1.0.10",
            {"westeurope": None, "eastus": None},
            states={"westeurope": "Completed", "eastus": "Replicating"},
        ),
    )
    assert str(resolve_latest(d, region="eastus", at=AT).name) == "1.0.9"
    assert str(resolve_latest(d, region="westeurope", at=AT).name) == "1.0.10"
    assert str(resolve_latest(d, region="eastus", at=AT, require_replicated=False).name) == "1.0.10"


@pytest.mark.parametrize("state", ["Failed", "Unknown", "Replicating"])
def test_only_completed_counts_as_replicated(state: str) -> None:
    d = definition(version("1.0.0"), version("1.0.1", states={"westeurope": state}))
    assert str(resolve_latest(d, region="westeurope", at=AT).name) == "1.0.0"


def test_no_replication_status_counts_as_replicated() -> None:
    d = definition(version("1.0.0"), version("1.0.1"))
    assert d.versions["1.0.1"].replication_status is None
    assert str(resolve_latest(d, region="westeurope", at=AT).name) == "1.0.1"


def test_status_for_other_regions_does_not_matter() -> None:
    d = definition(version("1.0.0"), version("1.0.1", states={"eastus": "Failed"}))
    assert str(resolve_latest(d, region="westeurope", at=AT).name) == "1.0.1"


def test_only_versions_targeting_the_region() -> None:
    d = definition(version("1.0.0", {"eastus": None}), version("2.0.0", {"westeurope": None}))
    assert str(resolve_latest(d, region="East US", at=AT).name) == "1.0.0"
    with pytest.raises(NoEligibleVersionError) as caught:
        resolve_latest(d, region="northeurope", at=AT)
    assert caught.value.region == "northeurope"
    assert set(caught.value.reasons) == {"1.0.0", "2.0.0"}


def test_version_without_target_regions_lives_in_its_source_region() -> None:
    d = definition(version("1.0.0", {}, location="northeurope"))
    assert str(resolve_latest(d, region="northeurope", at=AT).name) == "1.0.0"
    with pytest.raises(NoEligibleVersionError):
        resolve_latest(d, region="westeurope", at=AT)


# -- end of life -------------------------------------------------------------------------------


def test_end_of_life_at_or_before_at_is_skipped() -> None:
    d = definition(version("1.0.0"), version("1.0.1", end_of_life="2025-03-01T00:00:00Z"))
    assert str(resolve_latest(d, at=AT).name) == "1.0.0"
    assert str(resolve_latest(d, at=AT - timedelta(microseconds=1)).name) == "1.0.1"
    assert str(resolve_latest(d, at=AT, end_of_life="allow").name) == "1.0.1"


def test_end_of_life_compares_instants_across_zones() -> None:
    d = definition(version("1.0.0"), version("1.0.1", end_of_life="2025-03-01T02:00:00+02:00"))
    assert str(resolve_latest(d, at=AT).name) == "1.0.0"
    earlier = datetime(2025, 3, 1, 1, 59, tzinfo=timezone(timedelta(hours=2)))
    assert str(resolve_latest(d, at=earlier).name) == "1.0.1"


def test_definition_end_of_life_rejects_every_version() -> None:
    d = definition(version("1.0.0"), version("1.0.1"), end_of_life="2025-01-01T00:00:00Z")
    with pytest.raises(NoEligibleVersionError) as caught:
        resolve_latest(d, at=AT)
    assert caught.value.reasons["1.0.1"] == ("image definition end of life 2025-01-01",)
    assert str(resolve_latest(d, at=AT, end_of_life="allow").name) == "1.0.1"


def test_at_defaults_to_now() -> None:
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    d = definition(version("1.0.0"), version("1.0.1", end_of_life=past))
    assert str(resolve_latest(d).name) == "1.0.0"


# -- constraints -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (">=1.2,<2", "1.4.7"),
        ("~=1.4.0", "1.4.7"),
        ("==1.2.*", "1.2.10"),
        ("<1.2.10", "1.2.9"),
        (SpecifierSet("!=2.0.0"), "1.4.7"),
        ("", "2.0.0"),
    ],
)
def test_spec_narrows_candidates(spec: str | SpecifierSet, expected: str) -> None:
    d = definition(*(version(n) for n in ["1.0.0", "1.2.9", "1.2.10", "1.4.7", "2.0.0"]))
    assert str(resolve_latest(d, at=AT, spec=spec).name) == expected


def test_spec_uses_numeric_parts_of_names_with_leading_zeros() -> None:
    d = definition(version("01.02.003"))
    assert str(resolve_latest(d, at=AT, spec="==1.2.3").name) == "01.02.003"


def test_spec_rejection_is_explained() -> None:
    d = definition(version("1.0.0"), version("2.0.0"))
    resolution = explain_latest(d, at=AT, spec="<2")
    assert resolution.reasons() == {"2.0.0": ("2.0.0 does not satisfy '<2'",)}
    assert resolution.candidates[0].reasons[0].kind is ReasonKind.CONSTRAINT


# -- errors ------------------------------------------------------------------------------------


def test_nothing_eligible_without_region_uses_azure_message() -> None:
    d = definition(version("1.0.0", exclude=True))
    with pytest.raises(NoEligibleVersionError) as caught:
        resolve_latest(d, at=AT)
    message = str(caught.value)
    assert message.startswith(f'There is no latest image version exists for "{d.id}"')
    assert "1.0.0: excluded from latest in westeurope (version flag)" in message
    assert caught.value.definition_id == d.id
    assert caught.value.region is None
    assert isinstance(caught.value, LookupError)


def test_nothing_eligible_in_region_uses_azure_message() -> None:
    d = definition(version("1.0.0", {"westeurope": None}))
    with pytest.raises(NoEligibleVersionError, match="is not available in eastus region"):
        resolve_latest(d, region="eastus", at=AT)


def test_empty_definition() -> None:
    with pytest.raises(NoEligibleVersionError, match="has no versions") as caught:
        resolve_latest(definition(), at=AT)
    assert caught.value.reasons == {}


def test_message_lists_the_first_reasons_and_counts_the_rest() -> None:
    d = definition(*(version(f"1.0.{i}", exclude=True) for i in range(8)))
    with pytest.raises(NoEligibleVersionError) as caught:
        resolve_latest(d, at=AT)
    assert "1.0.7:" in str(caught.value)
    assert "1.0.2:" not in str(caught.value)
    assert "and 3 more" in str(caught.value)
    assert len(caught.value.reasons) == 8


def test_naive_at_is_an_error() -> None:
    d = definition(version("1.0.0"))
    with pytest.raises(NaiveDatetimeError) as caught:
        resolve_latest(d, at=datetime(2025, 1, 1))
    assert caught.value.field == "at"
    with pytest.raises(NaiveDatetimeError):
        explain_latest(d, at=datetime(2025, 1, 1))


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"spec": "latest"}, InvalidSpecifierError, "spec"),
        ({"spec": 1}, InvalidTypeError, "spec"),
        ({"at": "2025-01-01"}, InvalidTypeError, "at"),
        ({"end_of_life": "ignore"}, InvalidFieldError, "end_of_life"),
        ({"require_replicated": "yes"}, InvalidTypeError, "require_replicated"),
        ({"region": "west-europe"}, InvalidRegionError, "region"),
        ({"region": 5}, InvalidRegionError, "region"),
        ({"region": "x" * 100_000}, InvalidRegionError, "region"),
        ({"spec": ">=" + "9" * 5000}, InvalidSpecifierError, "spec"),
        ({"spec": ">=1.0," + "9" * 25}, InvalidSpecifierError, "spec"),
        ({"spec": SpecifierSet(">=" + "9" * 5000)}, InvalidSpecifierError, "spec"),
        ({"spec": "x" * 1_000_000}, InvalidSpecifierError, "spec"),
        ({"at": datetime(2025, 1, 1)}, NaiveDatetimeError, "at"),
        ({"at": [2025]}, InvalidTypeError, "at"),
    ],
    ids=lambda value: repr(value)[:30] if not isinstance(value, type) else value.__name__,
)
def test_bad_arguments(kwargs: dict[str, Any], error: type[Exception], field: str | None) -> None:
    d = definition(version("1.0.0"))
    for entry_point in (resolve_latest, explain_latest, resolve_recent):
        with pytest.raises(error) as caught:
            entry_point(d, **kwargs)
        assert getattr(caught.value, "field", None) == field
        assert len(str(caught.value)) < 600


def test_the_limits_of_a_constraint_are_documented_and_inclusive() -> None:
    d = definition(version("1.0.0"))
    longest = ">=0.0.0" + ",!=9.9.9" * ((MAX_SPEC_LENGTH - 7) // 8)
    assert len(longest) <= MAX_SPEC_LENGTH
    assert str(resolve_latest(d, at=AT, spec=longest).name) == "1.0.0"
    widest = "<" + "9" * MAX_SPEC_DIGITS
    assert str(resolve_latest(d, at=AT, spec=widest).name) == "1.0.0"
    with pytest.raises(InvalidSpecifierError, match=f"at most {MAX_SPEC_DIGITS} digits"):
        resolve_latest(d, at=AT, spec=widest + "9")


def test_not_a_definition() -> None:
    with pytest.raises(InvalidTypeError, match="expected an ImageDefinition"):
        resolve_latest("myImage1", at=AT)  # type: ignore[arg-type]


# -- explanations ------------------------------------------------------------------------------


def test_explanation_on_the_sample() -> None:
    image1 = next(sample_inventory().definitions())
    resolution = explain_latest(image1, region="eastus", at=datetime(2025, 7, 1, tzinfo=UTC))
    assert resolution.chosen is not None
    assert str(resolution.chosen.name) == "1.0.9"
    assert [(str(c.name), c.verdict) for c in resolution.candidates] == [
        ("1.1.0", Verdict.REJECTED),
        ("1.0.10", Verdict.REJECTED),
        ("1.0.9", Verdict.CHOSEN),
        ("1.0.0", Verdict.REJECTED),
    ]
    kinds = [[r.kind for r in c.reasons] for c in resolution.candidates]
    assert kinds == [
        [ReasonKind.NOT_IN_REGION],
        [ReasonKind.NOT_REPLICATED],
        [],
        [ReasonKind.NOT_IN_REGION, ReasonKind.END_OF_LIFE],
    ]
    assert resolution.error() is None
    assert resolution.region == "eastus"
    assert resolution.spec is None
    assert resolution.end_of_life == "skip"
    assert resolution.require_replicated


def test_eligible_candidates_below_the_answer() -> None:
    d = definition(version("1.0.0"), version("1.0.1"), version("1.0.2"))
    resolution = explain_latest(d, at=AT)
    assert [c.verdict for c in resolution.candidates] == [
        Verdict.CHOSEN,
        Verdict.ELIGIBLE,
        Verdict.ELIGIBLE,
    ]
    assert str(resolution.candidates[1]) == "1.0.1 eligible"


def test_explanation_renders() -> None:
    d = definition(version("1.0.0"), version("1.0.1", exclude=True), version("1.0.2"))
    resolution = explain_latest(d, region="westeurope", at=AT, spec="<1.0.2", end_of_life="allow")
    text = str(resolution)
    assert text.splitlines()[0] == (
        "latest image in westeurope at 2025-03-01 matching '<1.0.2' end of life allowed: 1.0.0"
    )
    assert "  1.0.1  rejected  excluded from latest in westeurope (version flag)" in text
    html = resolution._repr_html_()
    assert html.startswith("<table><caption>latest image in westeurope")
    assert "&#x27;&lt;1.0.2&#x27;" in html
    rows = resolution.to_records()
    assert [r["verdict"] for r in rows] == ["rejected", "rejected", "chosen"]
    assert rows[0]["reason_kinds"] == "constraint"
    assert rows[1]["region"] == "westeurope"


def test_explanation_when_nothing_is_eligible() -> None:
    d = definition(version("1.0.0", exclude=True))
    resolution = explain_latest(d, at=AT, require_replicated=False)
    assert resolution.chosen is None
    assert str(resolution).splitlines()[0].endswith("replication not required: none")
    error = resolution.error()
    assert isinstance(error, NoEligibleVersionError)
    assert error.reasons == resolution.reasons()


# -- the index ---------------------------------------------------------------------------------


def test_index_is_built_once_per_definition() -> None:
    d = definition(version("1.0.0"), version("1.0.1"))
    first = index_of(d)
    resolve_latest(d, at=AT)
    resolve_latest(d, region="westeurope", at=AT, spec=">=1")
    assert index_of(d) is first
    changed = attrs.evolve(d, versions=[version("1.0.0")])
    assert index_of(changed) is not first
    assert str(resolve_latest(changed, at=AT).name) == "1.0.0"


def test_the_index_is_owned_by_resolve_not_written_into_the_definition() -> None:
    d = definition(version("1.0.0"), version("1.0.1"))
    before = {a.name: getattr(d, a.name) for a in attrs.fields(type(d))}
    resolve_latest(d, at=AT)
    assert {slot: getattr(d, slot) for slot in before} == before
    assert not hasattr(d, "_cache")
    # An equal copy has its own index: answers are always the definition's own versions.
    copy = attrs.evolve(d)
    assert copy == d and copy is not d
    assert index_of(copy) is not index_of(d)
    assert resolve_latest(copy, at=AT) is copy.versions["1.0.1"]
    assert resolve_latest(d, at=AT) is d.versions["1.0.1"]


def test_the_memo_lets_go_of_definitions() -> None:
    memo = IdentityMemo(VersionIndex)
    d = definition(version("1.0.0"))
    memo.get(d)
    assert len(memo) == 1
    del d
    gc.collect()
    assert len(memo) == 0


def test_explanation_notes_a_regional_override() -> None:
    d = definition(
        version("1.0.0", {"westeurope": None, "eastus": None}),
        version("2.0.0", {"westeurope": None, "eastus": False}, exclude=True),
    )
    resolution = explain_latest(d, region="eastus", at=AT)
    top = resolution.candidates[0]
    assert top.verdict is Verdict.CHOSEN
    assert top.notes == ("version-level exclude flag overridden by the regional flag in eastus",)
    assert str(top) == (
        "2.0.0 chosen: version-level exclude flag overridden by the regional flag in eastus"
    )
    assert resolution.to_records()[0]["notes"] == top.notes[0]
    assert explain_latest(d, region="westeurope", at=AT).candidates[0].notes == ()
    assert explain_latest(d, at=AT).candidates[0].notes == top.notes
    assert explain_latest(d, region="eastus", at=AT).candidates[1].notes == ()


# -- recent ------------------------------------------------------------------------------------


def test_hotfix_published_after_a_newer_major() -> None:
    d = definition(
        version("2.0.0", published="2024-05-01T00:00:00Z"),
        version("1.0.9", published="2024-06-01T00:00:00Z"),
    )
    assert str(resolve_recent(d, at=AT).name) == "1.0.9"
    assert str(resolve_latest(d, at=AT).name) == "2.0.0"


def test_same_rules_as_latest() -> None:
    d = definition(
        version("1.0.0", {"eastus": None}, published="2024-01-01T00:00:00Z"),
        version("1.0.1", {"eastus": None}, published="2024-02-01T00:00:00Z", exclude=True),
        version(
            "1.0.2",
            {"eastus": None},
            published="2024-03-01T00:00:00Z",
            states={"eastus": "Replicating"},
        ),
        version("1.0.3", {"westeurope": None}, published="2024-04-01T00:00:00Z"),
    )
    assert str(resolve_recent(d, region="eastus", at=AT).name) == "1.0.0"
    assert str(resolve_recent(d, at=AT).name) == "1.0.3"
    assert str(resolve_recent(d, region="eastus", at=AT, require_replicated=False).name) == "1.0.2"


def test_undated_versions_come_last_and_ties_go_to_the_higher_version() -> None:
    d = definition(
        version("3.0.0"),
        version("1.0.0", published="2024-01-01T00:00:00Z"),
        version("1.0.1", published="2024-01-01T00:00:00Z"),
    )
    assert str(resolve_recent(d, at=AT).name) == "1.0.1"
    assert (
        str(resolve_recent(definition(version("1.0.0"), version("2.0.0")), at=AT).name) == "2.0.0"
    )


def test_nothing_eligible() -> None:
    d = definition(version("1.0.0", exclude=True))
    with pytest.raises(NoEligibleVersionError, match="is eligible as most recent") as caught:
        resolve_recent(d, at=AT)
    assert caught.value.reasons == {"1.0.0": ("excluded from latest in westeurope (version flag)",)}


# -- by region ---------------------------------------------------------------------------------


def test_regions_of_a_definition() -> None:
    d = definition(
        version("1.0.0", {"westeurope": None, "eastus": None}),
        version("1.0.1", {}, location="northeurope"),
    )
    assert definition_regions(d) == ["eastus", "northeurope", "westeurope"]


def test_latest_by_region_gives_what_resolve_latest_gives_in_each_region() -> None:
    d = definition(
        version("1.0.0", {"westeurope": None, "eastus": None}),
        version("1.0.1", {"westeurope": None, "eastus": True}),
        version("1.0.2", {"westeurope": None, "eastus": None}, states={"eastus": "Failed"}),
        version("1.0.3", {}, location="northeurope", exclude=True),
    )
    answers = latest_by_region(d, at=AT)[d.id]
    assert list(answers) == ["eastus", "northeurope", "westeurope"]
    assert {r: v and str(v.name) for r, v in answers.items()} == {
        "eastus": "1.0.0",
        "northeurope": None,
        "westeurope": "1.0.2",
    }
    for region, found in answers.items():
        expected = explain_latest(d, region=region, at=AT).chosen
        assert found is expected
    asked = latest_by_region(d, regions=["East US", "japaneast"], at=AT, require_replicated=False)
    assert {r: v and str(v.name) for r, v in asked[d.id].items()} == {
        "eastus": "1.0.2",
        "japaneast": None,
    }


def test_latest_by_region_of_a_gallery_and_an_inventory() -> None:
    inventory = sample_inventory()
    answers = latest_by_region(inventory, at=AT)
    assert list(answers) == [d.id for d in inventory.definitions()]
    for d in inventory.definitions():
        assert list(answers[d.id]) == definition_regions(d)
        for region, found in answers[d.id].items():
            assert found is explain_latest(d, region=region, at=AT).chosen
    gallery = next(inventory.galleries())
    assert latest_by_region(gallery, at=AT) == {
        d.id: answers[d.id] for d in gallery.definitions.values()
    }
    assert latest_by_region(Inventory(), at=datetime(2025, 1, 1, tzinfo=UTC)) == {}


def test_latest_by_region_checks_its_arguments_even_with_nothing_to_ask() -> None:
    d = definition(version("1.0.0"))
    with pytest.raises(InvalidTypeError):
        latest_by_region(d, regions="eastus", at=AT)
    with pytest.raises(InvalidTypeError):
        latest_by_region(d.versions["1.0.0"], at=AT)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        latest_by_region(Inventory(), at=datetime(2025, 1, 1))
    with pytest.raises(InvalidFieldError):
        latest_by_region(Inventory(), at=AT, end_of_life="never")  # type: ignore[arg-type]


def test_latest_without_names_versions_of_the_definition() -> None:
    image1 = next(sample_inventory().definitions())
    answers = latest_without(image1, ["1.0.9"], regions=["East US", "westeurope"], at=AT)
    assert {r: v and str(v.name) for r, v in answers.items()} == {
        "eastus": None,
        "westeurope": "1.0.10",
    }
    assert latest_without(image1, [], at=AT) == latest_by_region(image1, at=AT)[image1.id]
    with pytest.raises(ResourceNotFoundError):
        latest_without(image1, ["9.9.9"], at=AT)
    with pytest.raises(InvalidTypeError):
        latest_without(image1, "1.0.9", at=AT)
