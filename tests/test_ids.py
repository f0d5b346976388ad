"""ResourceId: kinds, parts, ancestry, case-insensitivity."""

from __future__ import annotations

import contextlib
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imagegallery import InvalidResourceIdError, ResourceId, ResourceKind

SUB = "/subscriptions/0000/resourceGroups/rg1"
VERSION = f"{SUB}/providers/Microsoft.Compute/galleries/g1/images/img/versions/1.0.0"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("/", ResourceKind.ROOT),
        ("/providers/Microsoft.Management/managementGroups/mg1", ResourceKind.MANAGEMENT_GROUP),
        ("/subscriptions/0000", ResourceKind.SUBSCRIPTION),
        (SUB, ResourceKind.RESOURCE_GROUP),
        (f"{SUB}/providers/Microsoft.Compute/galleries/g1", ResourceKind.GALLERY),
        (
            f"{SUB}/providers/Microsoft.Compute/galleries/g1/images/img",
            ResourceKind.IMAGE_DEFINITION,
        ),
        (VERSION, ResourceKind.IMAGE_VERSION),
        (f"{SUB}/providers/Microsoft.Compute/virtualMachines/vm1", ResourceKind.RESOURCE),
        (
            "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/abc",
            ResourceKind.RESOURCE,
        ),
        ("/SharedGalleries/uniq/Images/img/Versions/latest", ResourceKind.SHARED_VERSION),
        ("/sharedgalleries/uniq/images/img", ResourceKind.SHARED_IMAGE),
        ("/CommunityGalleries/pub/Images/img/Versions/1.0.0", ResourceKind.COMMUNITY_VERSION),
        ("/CommunityGalleries/pub", ResourceKind.COMMUNITY_GALLERY),
        (
            "/providers/Microsoft.Compute/locations/westus/Galleries/g/Images/i/Versions/1.0.0",
            ResourceKind.RESOURCE,
        ),
    ],
)
def test_kinds(text, kind):
    assert ResourceId.parse(text).kind is kind
    assert str(ResourceId.parse(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "subscriptions/0000",
        "/subscriptions",
        "/subscriptions/0000/",
        "//providers",
        " /subscriptions/0",
        "/subscriptions/0000/resourceGroups",
        "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/galleries",
        "/SharedGalleries/u/Pictures/x",
        "/SharedGalleries/u/Images",
        "/foo/bar",
        "/subscriptions/0//resourceGroups/rg",
    ],
)
def test_malformed(text):
    with pytest.raises(InvalidResourceIdError) as info:
        ResourceId.parse(text)
    assert info.value.value == text


def test_parts_and_parents():
    rid = ResourceId.parse(VERSION)
    assert (rid.subscription_id, rid.resource_group, rid.gallery, rid.image, rid.version) == (
        "0000",
        "rg1",
        "g1",
        "img",
        "1.0.0",
    )
    assert rid.resource_type == "Microsoft.Compute/galleries/images/versions"
    assert [a.kind for a in rid.ancestors()] == [
        ResourceKind.IMAGE_DEFINITION,
        ResourceKind.GALLERY,
        ResourceKind.RESOURCE_GROUP,
        ResourceKind.SUBSCRIPTION,
        ResourceKind.ROOT,
    ]
    assert ResourceId.parse("/").parent is None
    shared = ResourceId.parse("/SharedGalleries/u/Images/i/Versions/latest")
    assert (shared.gallery, shared.image, shared.version) == ("u", "i", "latest")
    assert [a.kind for a in shared.ancestors()] == [
        ResourceKind.SHARED_IMAGE,
        ResourceKind.SHARED_GALLERY,
    ]
    mg = ResourceId.parse("/providers/Microsoft.Management/managementGroups/mg1")
    assert mg.management_group == "mg1" and mg.parent == ResourceId.root()


def test_whole_segment_ancestry():
    rg1 = ResourceId.parse("/subscriptions/0000/resourceGroups/rg1")
    rg10 = ResourceId.parse("/subscriptions/0000/resourceGroups/rg10")
    assert not rg1.is_ancestor_of(rg10)
    assert rg1.is_ancestor_of(ResourceId.parse(VERSION))
    assert not rg1.is_ancestor_of(rg1) and rg1.contains(rg1)
    assert ResourceId.root().is_ancestor_of(rg1)
    assert not ResourceId.root().is_ancestor_of(ResourceId.parse("/SharedGalleries/u"))


def test_builders_and_pickle():
    g = ResourceId.for_gallery("0000", "rg1", "g1")
    v = g.child("images", "img").child("versions", "1.0.0")
    assert v == ResourceId.parse(VERSION.upper())
    assert pickle.loads(pickle.dumps(v)) == v
    with pytest.raises(InvalidResourceIdError):
        ResourceId.for_gallery("0000", "rg1/x", "g1")


segment = st.text(alphabet="abcdefgHIJKLM0123456789-_.()", min_size=1, max_size=12)


@given(
    segment,
    segment,
    segment,
    segment,
    st.from_regex(r"[0-9]{1,5}\.[0-9]{1,5}\.[0-9]{1,5}", fullmatch=True),
)
def test_round_trip_and_case_insensitivity(sub, rg, gallery, image, version):
    text = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{gallery}/images/{image}/versions/{version}"
    rid = ResourceId.parse(text)
    assert str(rid) == text
    assert rid == ResourceId.parse(text.upper()) == ResourceId.parse(text.lower())
    assert hash(rid) == hash(ResourceId.parse(text.swapcase()))
    assert rid.kind is ResourceKind.IMAGE_VERSION
    assert rid.parent is not None and rid.parent.is_ancestor_of(rid)
    assert all(a.is_ancestor_of(rid) for a in rid.ancestors())


@given(st.text())
def test_parse_fails_only_with_our_error(text):
    with contextlib.suppress(InvalidResourceIdError):
        ResourceId.parse(text)


def test_a_type_named_providers_still_has_parents():
    rid = ResourceId.parse("/providers/subscriptions/providers/subscriptions/subscriptions/x")
    assert [str(a) for a in rid.ancestors()] == [
        "/providers/subscriptions/providers/subscriptions",
        "/",
    ]


_SEGMENTS = st.sampled_from(
    [
        "subscriptions",
        "0000",
        "resourceGroups",
        "rg",
        "providers",
        "Microsoft.Compute",
        "galleries",
        "g",
        "G",
        "images",
        "Images",
        "img",
        "versions",
        "1.0.0",
        "1.0.1",
        "x ",
        " ",
        "",
        "Σ",
        "latest",
        "SharedGalleries",
    ]
)


def _parsed(parse: Any) -> Any:
    try:
        rid = parse()
    except InvalidResourceIdError as err:
        return str(err)
    return (str(rid), rid.kind, rid._segs, rid._key, rid.parent)


_NAMES = st.sampled_from(["img", "IMG", "x ", " x", "", "Σ", "1.0.0", "1.0.1", "a b"])
_GALLERY_PATHS = st.one_of(
    st.tuples(st.sampled_from(["images", "Images", "versions"]), _NAMES).map(list),
    st.tuples(
        st.sampled_from(["images", "IMAGES"]),
        _NAMES,
        st.sampled_from(["versions", "Versions", "images"]),
        _NAMES,
    ).map(list),
    st.lists(_SEGMENTS, max_size=12),
)


@given(st.lists(_GALLERY_PATHS, max_size=30), st.booleans())
def test_parse_under_gives_what_parse_gives(paths: list[list[str]], galleries: bool) -> None:
    base = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g"
    texts = [f"{base}/{'/'.join(p)}" if galleries else "/" + "/".join(p) for p in paths]
    table: dict[str, ResourceId] = {}
    for text in texts * 2:  # the second pass finds every parent in the table
        expected = _parsed(lambda: ResourceId.parse(text))  # noqa: B023
        assert _parsed(lambda: ResourceId.parse_under(text, table)) == expected  # noqa: B023
        assert all(str(v) == k for k, v in table.items())
