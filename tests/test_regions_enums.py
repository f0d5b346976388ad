"""Region normalization and the open/closed enums."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery import (
    InvalidEnumValueError,
    InvalidRegionError,
    OsType,
    ReplicationState,
    StorageAccountType,
    normalize_region,
)


@pytest.mark.parametrize(
    ("given", "arm"),
    [
        ("West US 2", "westus2"),
        ("westus2", "westus2"),
        ("Central US EUAP", "centraluseuap"),
        ("EAST US", "eastus"),
    ],
)
def test_regions_normalize_to_arm_form(given, arm):
    assert normalize_region(given) == arm


@pytest.mark.parametrize("bad", ["", "east-us", "2east", None, "east_us"])
def test_bad_regions(bad):
    with pytest.raises(InvalidRegionError):
        normalize_region(bad)


def test_closed_enum_is_case_insensitive_and_strict():
    assert OsType("linux") is OsType.LINUX
    with pytest.raises(InvalidEnumValueError) as info:
        OsType("Solaris")
    assert info.value.value == "Solaris"


def test_open_enum_keeps_unknown_values():
    known = StorageAccountType("standard_lrs")
    assert known is StorageAccountType.STANDARD_LRS and known.is_known
    new = ReplicationState("Paused")
    assert new.value == "Paused" and not new.is_known
    assert ReplicationState("Paused") is new
    assert pickle.loads(pickle.dumps(new)) == new
    assert new not in list(ReplicationState)
    with pytest.raises(InvalidEnumValueError):
        ReplicationState(" spaced ")
    with pytest.raises(InvalidEnumValueError):
        ReplicationState(3)


@given(st.text(st.sampled_from("aZz09 _-İıß\u00e9K\u212a"), max_size=12))
def test_region_names_are_accepted_exactly_as_the_pattern_says(name: str) -> None:
    arm = name.replace(" ", "").lower()
    valid = re.fullmatch(r"[a-z][a-z0-9]*", arm, re.ASCII) is not None
    try:
        assert normalize_region(name) == arm and valid
    except InvalidRegionError:
        assert not valid
