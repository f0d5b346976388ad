"""Property tests of :func:`imagegallery.review.diff` on generated inventories."""

from __future__ import annotations

from hypothesis import given

from imagegallery import ImageDefinition, Inventory, ResourceId, load_arm
from imagegallery.review import DiffKind, diff
from tests.resolve._oracle import oracle_latest, regions_of
from tests.review._oracle import apply_diff, latest_name
from tests.review._strategies import AT, base_inventories, inventory_pairs

pairs = inventory_pairs()


@given(base_inventories)
def test_an_inventory_compared_with_itself_has_no_changes(inventory: Inventory) -> None:
    result = diff(inventory, inventory, at=AT)
    assert not result
    assert not result.resources and not result.latest_moves and not result.broken_references
    assert result.cost.monthly_delta == 0 and result.cost.new_copy_egress == 0
    assert result.summary() == "no changes"
    assert not diff(inventory, load_arm(inventory.to_arm()), at=AT)  # equal, not identical


@given(pairs)
def test_applying_the_diff_to_old_gives_new(pair: tuple[Inventory, Inventory]) -> None:
    old, new = pair
    result = diff(old, new, at=AT)
    assert apply_diff(old, result) == new
    assert bool(result) == (old != new)


@given(pairs)
def test_swapping_the_arguments_swaps_added_and_removed(pair: tuple[Inventory, Inventory]) -> None:
    old, new = pair
    forward = diff(old, new, at=AT)
    backward = diff(new, old, at=AT)
    assert {r.resource_id for r in forward.added} == {r.resource_id for r in backward.removed}
    assert {r.resource_id for r in forward.removed} == {r.resource_id for r in backward.added}
    assert {r.resource_id for r in forward.changed} == {r.resource_id for r in backward.changed}
    assert {(m.definition_id, m.region, m.before, m.after) for m in forward.latest_moves} == {
        (m.definition_id, m.region, m.after, m.before) for m in backward.latest_moves
    }
    assert forward.cost.monthly_delta == -backward.cost.monthly_delta


def _definitions(inventory: Inventory) -> dict[ResourceId, ImageDefinition]:
    return {d.id: d for d in inventory.definitions()}


@given(pairs)
def test_latest_moves_are_exactly_the_pairs_whose_answer_differs(
    pair: tuple[Inventory, Inventory],
) -> None:
    old, new = pair
    result = diff(old, new, at=AT)
    olds, news = _definitions(old), _definitions(new)
    # Every reported move agrees with resolve_latest on both sides.
    for move in result.latest_moves:
        assert move.before == latest_name(olds.get(move.definition_id), move.region, AT)
        assert move.after == latest_name(news.get(move.definition_id), move.region, AT)
        assert move.before != move.after
        assert move.reasons
    # Brute force: every definition on either side, in every region any version targets.
    expected = set()
    for rid in {*olds, *news}:
        regions = {
            r
            for d in (olds.get(rid), news.get(rid))
            if d is not None
            for v in d.versions.values()
            for r in regions_of(v)
        }
        for region in regions:
            before = olds.get(rid)
            after = news.get(rid)
            was = oracle_latest(before, region=region, at=AT) if before is not None else None
            now = oracle_latest(after, region=region, at=AT) if after is not None else None
            if (was and was.name) != (now and now.name):
                expected.add((rid, region))
    assert {(m.definition_id, m.region) for m in result.latest_moves} == expected


@given(pairs)
def test_records_json_and_exit_predicates_cover_every_item(
    pair: tuple[Inventory, Inventory],
) -> None:
    import json

    old, new = pair
    result = diff(old, new, at=AT)
    rows = result.to_records()
    sections = [r["section"] for r in rows]
    assert sections.count("resource") == len(result.resources)
    assert sections.count("property") == len(result.properties)
    assert sections.count("latest") == len(result.latest_moves)
    data = result.to_json_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["counts"]["added"] == len(result.added)
    region = "westeurope"
    moved_here = any(m.region == region for m in result.latest_moves)
    assert result.fails_on("latest-moved", regions=[region]) is moved_here
    assert result.fails_on("latest-moved") is bool(result.latest_moves)
    assert result.fails_on("changed") is bool(result)
    assert all(r.change in DiffKind for r in result.resources)
