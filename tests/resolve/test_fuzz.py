"""Fuzzing the resolve entry points with drawn definitions and inventories, hostile arguments
(wrong types, None, huge text and numbers, naive date-times) and mutated image references.

Every outcome is a result or an ``ImageGalleryError`` with a short message; where a result comes
back, the fast answer agrees with the explanation. Bounded in CI; the long campaign runs with
``IMAGEGALLERY_FUZZ=1`` (see ``tests/_fuzz.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from imagegallery import ImageDefinition, ImageVersion, Inventory
from imagegallery.resolve import (
    Resolution,
    ScaleOutImage,
    definition_regions,
    explain_latest,
    latest_by_region,
    resolve_latest,
    resolve_recent,
    resolve_reference,
    scale_out_image,
)
from imagegallery.strategies import REGIONS, image_definitions, inventories
from tests._fuzz import HOSTILE, budget, mutated, outcome

AT = datetime(2025, 6, 1, tzinfo=UTC)
SPECS = st.sampled_from([">=1.0", "<2", "~=1.0.0", "==1.*", ">=0.0.1,<5", "!=1.0.0"]) | st.text(
    "<>=!~0123456789.*, ", max_size=30
)


def _argument(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value most of the time, a hostile one otherwise."""
    return st.one_of(valid, valid, HOSTILE)


ARGUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "region": _argument(st.sampled_from([*REGIONS, "West Europe", "japaneast"])),
        "at": _argument(st.just(AT)),
        "spec": _argument(SPECS),
        "end_of_life": _argument(st.sampled_from(["skip", "allow"])),
        "require_replicated": _argument(st.booleans()),
    },
)


@budget()
@given(_argument(image_definitions(max_versions=5)), ARGUMENTS)
def test_fuzz_resolution_arguments(definition: Any, arguments: dict[str, Any]) -> None:
    arguments.setdefault("at", AT)
    latest = outcome(lambda: resolve_latest(definition, **arguments))
    explained = outcome(lambda: explain_latest(definition, **arguments))
    recent = outcome(lambda: resolve_recent(definition, **arguments))
    if isinstance(explained, Resolution):
        assert explained.chosen is (latest if isinstance(latest, ImageVersion) else None)
        assert isinstance(recent, ImageVersion) == isinstance(latest, ImageVersion)
    by_region = dict(arguments)
    region = by_region.pop("region", None)
    answers = outcome(lambda: latest_by_region(definition, regions=[region], **by_region))
    if isinstance(answers, dict) and isinstance(latest, ImageVersion):
        assert set(answers) == {definition.id}
    outcome(lambda: definition_regions(definition))


def _references(inventory: Inventory) -> st.SearchStrategy[Any]:
    ids = [str(v.id) for v in inventory.versions()] + [str(d.id) for d in inventory.definitions()]
    texts = st.sampled_from(ids or ["/subscriptions/s/resourceGroups/rg"]).flatmap(
        lambda text: st.one_of(
            st.just(text),
            st.just(text + "/versions/latest"),
            st.sampled_from(["/SharedGalleries/x/Images/y/Versions/latest"]),
            st.builds(lambda cut: text[:cut], st.integers(0, len(text))),
            st.builds(
                lambda extra: text + extra,
                st.text(max_size=12) | HOSTILE.filter(lambda v: isinstance(v, str)),
            ),
            st.builds(str.upper, st.just(text)),
        )
    )
    keys = st.sampled_from(["id", "sharedGalleryImageId", "communityGalleryImageId", "publisher"])
    return st.one_of(
        texts,
        st.dictionaries(keys, texts | HOSTILE, min_size=1, max_size=2),
        texts.map(lambda text: {"id": text}).flatmap(mutated),
        HOSTILE,
    )


@budget()
@given(inventories(max_galleries=2, max_definitions=2, max_versions=3), st.data())
def test_fuzz_image_references(inventory: Inventory, data: st.DataObject) -> None:
    reference = data.draw(_references(inventory))
    region = data.draw(_argument(st.sampled_from(REGIONS)))
    at = data.draw(_argument(st.just(AT)))
    policy = data.draw(_argument(st.sampled_from(["skip", "allow"])))
    target = data.draw(_argument(st.just(inventory)))
    found = outcome(
        lambda: resolve_reference(target, reference, region=region, at=at, end_of_life=policy)
    )
    answer = outcome(
        lambda: scale_out_image(target, reference, region=region, at=at, end_of_life=policy)
    )
    if isinstance(answer, ScaleOutImage):
        assert answer.version is (found if isinstance(found, ImageVersion) else None)
    elif isinstance(found, ImageVersion) and at is not None:  # scale_out_image needs an ``at``
        raise AssertionError(f"resolved, but the scale-out raised {answer!r}")


@budget(examples=20, long_examples=1_000)
@given(inventories(max_galleries=2, max_definitions=3, max_versions=4), ARGUMENTS)
def test_fuzz_latest_by_region_of_an_inventory(
    inventory: Inventory, arguments: dict[str, Any]
) -> None:
    arguments.pop("region", None)
    arguments.setdefault("at", AT)
    answers = outcome(lambda: latest_by_region(inventory, **arguments))
    if isinstance(answers, dict):
        for definition in inventory.definitions():
            assert isinstance(definition, ImageDefinition)
            assert list(answers[definition.id]) == definition_regions(definition)
