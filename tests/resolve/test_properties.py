"""Property tests: the fast resolvers against the independent oracle, and their invariants."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery import (
    ImageDefinition,
    ImageVersion,
    ImageVersionName,
    NoEligibleVersionError,
    ReplicationState,
)
from imagegallery.resolve import (
    Verdict,
    definition_regions,
    explain_latest,
    latest_without,
    resolve_latest,
    resolve_recent,
)
from imagegallery.resolve.latest import _explain_by_rules, make_query, target_region_names
from imagegallery.strategies import image_definitions, image_versions
from tests.resolve._oracle import (
    eligible_in,
    eligible_versions,
    oracle_latest,
    oracle_recent,
    regions_of,
)

REGIONS = ("westeurope", "eastus", "northeurope")
DAYS = st.integers(0, 365 * 12).map(lambda d: datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=d))

definitions = image_definitions(
    max_versions=8,
    regions=st.sampled_from(REGIONS),
    max_regions=3,
    published_dates=st.none() | DAYS,
    end_of_life_dates=st.none() | st.none() | DAYS,
    definition_end_of_life_dates=st.none() | st.none() | st.none() | DAYS,
)


def specs(definition: ImageDefinition) -> st.SearchStrategy[str | None]:
    """Constraints built around the definition's own version numbers."""
    parts: list[ImageVersionName | None] = [v.name for v in definition.versions.values()]
    parts = parts or [None]
    one = st.builds(
        lambda op, name: f"{op}{name.major}.{name.minor}.{name.patch}" if name else f"{op}1.0.0",
        st.sampled_from([">=", "<=", ">", "<", "==", "!=", "~="]),
        st.sampled_from(parts),
    )
    return st.none() | one | st.builds(lambda a, b: f"{a},{b}", one, one)


@st.composite
def queries(draw: st.DrawFn, definition: ImageDefinition) -> dict[str, Any]:
    """Keyword arguments of a resolution; ``at`` often hits an end-of-life date exactly."""
    dates = [d for v in definition.versions.values() for d in (v.end_of_life_date,) if d]
    if definition.end_of_life_date is not None:
        dates.append(definition.end_of_life_date)
    at = draw(DAYS | st.sampled_from(dates)) if dates else draw(DAYS)
    return {
        "region": draw(st.none() | st.sampled_from(REGIONS)),
        "at": at,
        "spec": draw(specs(definition)),
        "end_of_life": draw(st.sampled_from(["skip", "allow"])),
        "require_replicated": draw(st.booleans()),
    }


@st.composite
def cases(draw: st.DrawFn) -> tuple[ImageDefinition, dict[str, Any]]:
    definition = draw(definitions)
    return definition, draw(queries(definition))


def latest_or_none(definition: ImageDefinition, **query: Any) -> ImageVersion | None:
    try:
        return resolve_latest(definition, **query)
    except NoEligibleVersionError:
        return None


@given(cases())
def test_latest_equals_the_oracle(case: tuple[ImageDefinition, dict[str, Any]]) -> None:
    definition, query = case
    expected = oracle_latest(definition, **query)
    if expected is None:
        with pytest.raises(NoEligibleVersionError) as caught:
            resolve_latest(definition, **query)
        assert set(caught.value.reasons) == {str(v.name) for v in definition.versions.values()}
    else:
        assert resolve_latest(definition, **query) is expected


@given(cases())
def test_recent_equals_the_oracle(case: tuple[ImageDefinition, dict[str, Any]]) -> None:
    definition, query = case
    expected = oracle_recent(definition, **query)
    if expected is None:
        with pytest.raises(NoEligibleVersionError):
            resolve_recent(definition, **query)
    else:
        assert resolve_recent(definition, **query) is expected


@given(cases(), st.randoms(use_true_random=False))
def test_invariant_under_permutation(
    case: tuple[ImageDefinition, dict[str, Any]], rnd: Any
) -> None:
    definition, query = case
    shuffled = []
    for v in definition.versions.values():
        regions = list(v.target_regions)
        rnd.shuffle(regions)
        shuffled.append(
            attrs.evolve(
                v, publishing_profile=attrs.evolve(v.publishing_profile, target_regions=regions)
            )
        )
    rnd.shuffle(shuffled)
    permuted = attrs.evolve(definition, versions=shuffled)
    before = latest_or_none(definition, **query)
    after = latest_or_none(permuted, **query)
    assert (before and before.id) == (after and after.id)


@given(cases())
def test_answer_is_eligible_and_highest(case: tuple[ImageDefinition, dict[str, Any]]) -> None:
    definition, query = case
    found = latest_or_none(definition, **query)
    if found is None:
        return
    region, at = query["region"], query["at"]
    if region is not None:
        assert region in regions_of(found)
        assert not found.excluded_from_latest_in(region)
        if query["require_replicated"]:
            assert found.replication_state_in(region) in (None, ReplicationState.COMPLETED)
    else:
        assert any(eligible_in(found, r, query["require_replicated"]) for r in regions_of(found))
    if query["end_of_life"] == "skip":
        assert found.end_of_life_date is None or found.end_of_life_date > at
        assert definition.end_of_life_date is None or definition.end_of_life_date > at
    for other in eligible_versions(definition, **query):
        assert other.name <= found.name


@given(cases(), st.data())
def test_adding_an_excluded_version_changes_nothing(
    case: tuple[ImageDefinition, dict[str, Any]], data: st.DataObject
) -> None:
    definition, query = case
    extra = data.draw(
        image_versions(
            definition_ids=st.just(definition.id),
            regions=st.sampled_from(REGIONS),
            exclude_from_latest=st.just(True),
            regional_exclude_from_latest=st.none() | st.just(True),
        )
    )
    if extra.name in {v.name for v in definition.versions.values()}:
        return
    bigger = attrs.evolve(definition, versions=[*definition.versions.values(), extra])
    before = latest_or_none(definition, **query)
    after = latest_or_none(bigger, **query)
    assert before is after


@given(cases())
def test_explain_agrees_with_resolve(case: tuple[ImageDefinition, dict[str, Any]]) -> None:
    definition, query = case
    resolution = explain_latest(definition, **query)
    assert resolution.chosen is latest_or_none(definition, **query)
    order = [c.name for c in resolution.candidates]
    assert order == sorted(order, reverse=True)
    assert len(order) == len(definition.versions)
    eligible = {v.id for v in eligible_versions(definition, **query)}
    verdicts = [c.verdict for c in resolution.candidates]
    for candidate in resolution.candidates:
        assert (candidate.verdict is not Verdict.REJECTED) == (candidate.version.id in eligible)
        assert bool(candidate.reasons) == (candidate.verdict is Verdict.REJECTED)
    assert verdicts.count(Verdict.CHOSEN) == (0 if resolution.chosen is None else 1)
    if resolution.chosen is not None:
        first_eligible = next(v for v in verdicts if v is not Verdict.REJECTED)
        assert first_eligible is Verdict.CHOSEN


@given(cases())
def test_without_region_is_the_highest_regional_answer(
    case: tuple[ImageDefinition, dict[str, Any]],
) -> None:
    definition, query = case
    query = {**query, "region": None}
    regional = [latest_or_none(definition, **{**query, "region": r}) for r in REGIONS]
    found = [v for v in regional if v is not None]
    best = max(found, key=lambda v: v.name, default=None)
    assert latest_or_none(definition, **query) is best


@given(definitions, DAYS)
def test_repeated_queries_give_the_same_answer(definition: ImageDefinition, at: datetime) -> None:
    answers = [latest_or_none(definition, region="eastus", at=at) for _ in range(3)]
    assert answers[0] is answers[1] is answers[2]


@given(cases())
def test_explanation_equals_the_rules_version_by_version(
    case: tuple[ImageDefinition, dict[str, Any]],
) -> None:
    """The reason table gives, for every version, what ``reasons_against`` gives."""
    definition, query = case
    checked = make_query(
        query["region"],
        query["at"],
        query["spec"],
        query["end_of_life"],
        query["require_replicated"],
    )
    expected = _explain_by_rules(definition, checked)
    assert explain_latest(definition, **query) == expected
    assert explain_latest(definition, **query) == expected  # the kept table answers the same
    assert definition_regions(definition) == sorted(
        {region for v in definition.versions.values() for region in target_region_names(v)}
    )


@given(cases())
def test_deferred_candidates_read_as_the_built_ones(
    case: tuple[ImageDefinition, dict[str, Any]],
) -> None:
    """A resolution of ``explain_latest`` (candidates built when read) and one built with its
    candidates (``_explain_by_rules``) are alike in every way they can be looked at."""
    definition, query = case
    checked = make_query(
        query["region"],
        query["at"],
        query["spec"],
        query["end_of_life"],
        query["require_replicated"],
    )
    built = _explain_by_rules(definition, checked)
    deferred = explain_latest(definition, **query)
    assert deferred.chosen is built.chosen  # answered before any candidate is built
    assert hash(deferred) == hash(built)
    assert repr(deferred) == repr(built)
    assert str(deferred) == str(built)
    assert deferred.to_records() == built.to_records()
    assert deferred.reasons() == built.reasons()
    assert deferred.candidates == built.candidates
    assert pickle.loads(pickle.dumps(deferred)) == built
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        deferred.chosen = None


@given(cases(), st.data())
def test_latest_without_equals_the_oracle_on_the_shrunk_definition(
    case: tuple[ImageDefinition, dict[str, Any]], data: st.DataObject
) -> None:
    """Leaving versions out through the index answers as the oracle does on a copy of the
    definition without them, in every region of the full definition."""
    definition, query = case
    names = [str(v.name) for v in definition.versions.values()]
    gone = data.draw(st.lists(st.sampled_from(names), unique=True) if names else st.just([]))
    rest = attrs.evolve(
        definition, versions=[v for v in definition.versions.values() if str(v.name) not in gone]
    )
    options = {k: v for k, v in query.items() if k != "region"}
    answers = latest_without(definition, gone, **options)
    assert list(answers) == definition_regions(definition)
    for region, found in answers.items():
        assert found is oracle_latest(rest, **{**options, "region": region})
