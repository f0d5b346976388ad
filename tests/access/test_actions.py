"""Action names and the wildcard matching of permission patterns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery import ResourceKind
from imagegallery.access import (
    action_matches,
)
from imagegallery.access.actions import (
    DEFINITION_READ,
    GALLERY_SHARE,
    VERSION_READ,
    glob_matches,
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


def _dp_glob(pattern: str, text: str) -> bool:
    """Reference: ``match[i][j]`` says whether ``pattern[:i]`` matches ``text[:j]``."""
    match = [[False] * (len(text) + 1) for _ in range(len(pattern) + 1)]
    match[0][0] = True
    for i in range(1, len(pattern) + 1):
        star = pattern[i - 1] == "*"
        for j in range(len(text) + 1):
            if star:
                match[i][j] = match[i - 1][j] or (j > 0 and match[i][j - 1])
            else:
                match[i][j] = j > 0 and match[i - 1][j - 1] and pattern[i - 1] == text[j - 1]
    return match[-1][-1]


@settings(max_examples=500)
@given(
    pattern=st.text(alphabet="ab*", max_size=14),
    text=st.text(alphabet="ab", max_size=14),
)
def test_glob_matching_agrees_with_dynamic_programming(pattern: str, text: str) -> None:
    assert glob_matches(pattern, text) is _dp_glob(pattern, text)


@given(
    pattern=st.lists(st.sampled_from(["*", "**", "a", "b", "ab", "/"]), max_size=30).map("".join),
    text=st.text(alphabet="ab/", max_size=40),
)
def test_many_stars_agree_with_dynamic_programming(pattern: str, text: str) -> None:
    assert glob_matches(pattern, text) is _dp_glob(pattern, text)
    assert action_matches(pattern.upper(), text) is _dp_glob(pattern, text)


def test_hostile_patterns_are_answered() -> None:
    """Patterns that make a backtracking matcher explode (each call here is linear)."""
    action = "Microsoft.Compute/galleries/images/versions/read"
    assert not action_matches("*********X", action)
    assert not action_matches("*" * 100 + "X", action * 200)
    assert action_matches("*" * 100 + "READ", action)
    assert action_matches("*/" * 50 + "*", "a/" * 60)
    assert not action_matches("*a" * 100 + "b", "a" * 10_000)
