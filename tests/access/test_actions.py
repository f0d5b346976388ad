"""Action names and the wildcard matching of permission patterns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery import ResourceKind
from imagegallery.access import (
    action_matches,
)
from imagegallery.access.actions import (
    DEFINITION_READ,
    GALLERY_SHARE,
    VERSION_READ,
    is_read_action,
    read_action_for,
    validate_action,
)
from imagegallery.errors import InvalidActionError
from tests.access._oracle import glob


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("*/read", VERSION_READ, True),
        ("*", "Microsoft.Authorization/roleAssignments/write", True),
        ("Microsoft.Compute/*", GALLERY_SHARE, True),
        ("Microsoft.Network/*/read", "Microsoft.Network/virtualNetworks/subnets/read", True),
        ("Microsoft.Compute/galleries/images/*", "Microsoft.Compute/galleries/read", False),
        ("Microsoft.Compute/galleries/*/read", VERSION_READ, True),
        ("MICROSOFT.COMPUTE/GALLERIES/*", "microsoft.compute/galleries/share/action", True),
        ("Microsoft.Compute/galleries/read", "Microsoft.Compute/galleries/readx", False),
        ("Microsoft.CostManagement/*/query/*", "Microsoft.CostManagement/exports/query/read", True),
        ("Microsoft.Compute/galleries.read", "Microsoft.Compute/galleriesXread", False),
    ],
)
def test_action_matching(pattern: str, action: str, expected: bool) -> None:
    assert action_matches(pattern, action) is expected


_PIECES = st.sampled_from(
    ["Microsoft.Compute", "galleries", "images", "versions", "read", "*", "a.b", "x"]
)


@given(
    pattern=st.lists(_PIECES, min_size=1, max_size=5).map("/".join),
    action=st.lists(_PIECES.filter(lambda p: p != "*"), min_size=1, max_size=5).map("/".join),
    flip=st.booleans(),
)
def test_action_matching_agrees_with_a_plain_glob(pattern: str, action: str, flip: bool) -> None:
    text = action.swapcase() if flip else action
    assert action_matches(pattern, text) == glob(pattern, action)


@pytest.mark.parametrize(
    "bad", ["", "galleries read", " Microsoft.Compute/galleries/read", 7, None]
)
def test_bad_action_strings_are_rejected(bad: object) -> None:
    with pytest.raises(InvalidActionError) as err:
        validate_action(bad)
    assert err.value.value == bad
    assert isinstance(err.value, ValueError)


def test_read_actions() -> None:
    assert is_read_action(VERSION_READ)
    assert not is_read_action(GALLERY_SHARE)
    assert read_action_for(ResourceKind.IMAGE_DEFINITION) == DEFINITION_READ
    assert read_action_for(ResourceKind.SHARED_VERSION).endswith(
        "sharedGalleries/images/versions/read"
    )
    with pytest.raises(InvalidActionError):
        read_action_for(ResourceKind.SUBSCRIPTION)
