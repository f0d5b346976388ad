"""Shared pieces of the fuzz suites: hostile values, structure-aware mutation of JSON documents,
and the budget (bounded in CI, long with ``IMAGEGALLERY_FUZZ=1``).

Every fuzz test states one property: the entry point returns, or raises an
:class:`~imagegallery.errors.ImageGalleryError` whose message is short; never another exception.
Run the long mode with::

    IMAGEGALLERY_FUZZ=1 pytest tests -k fuzz -p no:randomly --hypothesis-show-statistics
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from imagegallery.errors import ImageGalleryError

_T = TypeVar("_T")

LONG = os.environ.get("IMAGEGALLERY_FUZZ", "") not in ("", "0")
"""Whether the long campaign was asked for."""

MESSAGE_LIMIT = 2_000
"""The longest error message the library may produce for any input (values are shortened)."""


def budget(examples: int = 40, long_examples: int = 4_000) -> settings:
    """The Hypothesis settings of a fuzz test: a bounded budget, or the long campaign's."""
    return settings(
        max_examples=long_examples if LONG else examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


def outcome(call: Callable[[], _T]) -> _T | ImageGalleryError:
    """Run ``call``: its result, or the library's error (checked to have a short message); any
    other exception fails the test."""
    try:
        return call()
    except ImageGalleryError as err:
        error = err
    message = str(error)
    assert len(message) <= MESSAGE_LIMIT, f"{type(error).__name__}: {len(message)} characters"
    return error


class _HugeInt(int):
    """A number too long for ``repr`` (Python limits int-to-text conversion), shown briefly."""

    def __repr__(self) -> str:
        return f"<int of {self.bit_length()} bits>"

    def _repr_pretty_(self, p: Any, _cycle: bool) -> None:
        p.text(repr(self))


class _DeepList(list[Any]):
    """A list nested thousands of levels deep, shown briefly (its plain ``repr`` overflows)."""

    def __repr__(self) -> str:
        return "<list nested 3,000 deep>"

    def _repr_pretty_(self, p: Any, _cycle: bool) -> None:
        p.text(repr(self))


def _huge(n: int) -> Any:
    """Values whose plain ``repr`` fails: a number of ``abs(n)`` digits, or a list nested 3,000
    deep."""
    if n == 3_000:
        value: Any = []
        for _ in range(n - 1):
            value = [value]
        return _DeepList([value])
    return _HugeInt(10 ** abs(n) * (1 if n > 0 else -1))


HOSTILE_SCALARS: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        -1,
        1,
        2**31,
        10**30,
        0.0,
        -0.0,
        1e308,
        5e-324,
        float("nan"),
        float("inf"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-0"),
        Decimal("1e999999"),
        Decimal("1e-999999"),
        Decimal("0.05"),
        "",
        " ",
        "0",
        "-0.05",
        "0.05",
        "1e999999",
        "NaN",
        "Infinity",
        "9" * 5000,
        "x" * 100_000,
        "\x00",
        "\ud800",
        "West Europe",
        "westeurope",
        "latest",
        "1.0.0",
        "1" * 5000 + ".0.0",
        ">=" + "9" * 5000,
        "/etc/passwd",
        "[" * 2000,
        b"\xff\xfe",
        datetime(2025, 1, 1),  # naive
        datetime(2025, 1, 1, tzinfo=UTC),
        datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=14))),
        object(),
        (),
        [],
        {},
        [None],
        {"x": None},
    ]
) | st.sampled_from([5_000, -5_000, 3_000]).map(_huge)
"""Values that broke libraries like this one: wrong types, None, huge and non-finite numbers,
huge or odd text, naive date-times, deep nesting."""

HOSTILE: st.SearchStrategy[Any] = st.one_of(
    HOSTILE_SCALARS,
    st.text(max_size=40),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.lists(HOSTILE_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=8), HOSTILE_SCALARS, max_size=3),
)
"""Hostile values and random ones of every JSON-ish type."""


def _containers(document: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) slot of a JSON-like document, without recursion."""
    slots: list[tuple[Any, Any]] = []
    stack = [document]
    while stack:
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            slots.append((node, key))
            child = node[key]
            if isinstance(child, dict | list):
                stack.append(child)
    return slots


@st.composite
def mutated(draw: st.DrawFn, document: Any, max_mutations: int = 4) -> Any:
    """A copy of ``document`` (JSON-like) with a few structure-aware mutations: a value
    replaced by a hostile one, a key removed, renamed or re-cased, a list item duplicated or
    removed, a container swapped for its contents or wrapped in a list."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, max_mutations))):
        slots = _containers(doc) if isinstance(doc, dict | list) else []
        if not slots:
            return draw(HOSTILE)
        node, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["replace", "replace", "remove", "rename", "dup", "wrap"]))
        if action == "replace":
            node[key] = draw(HOSTILE)
        elif action == "remove":
            del node[key]
        elif action == "rename" and isinstance(node, dict):
            node[draw(st.sampled_from([key.lower(), key.upper(), key + " ", "x"]))] = node.pop(key)
        elif action == "dup" and isinstance(node, list):
            node.insert(key, node[key])
        else:
            node[key] = [node[key]]
    return doc


@st.composite
def mutated_text(draw: st.DrawFn, document: Any) -> str | bytes:
    """``document`` as JSON text, then cut, spliced or given non-JSON constants and deep
    nesting; sometimes as bytes in another encoding, or not UTF-8 at all."""
    text = json.dumps(document)
    action = draw(st.sampled_from(["cut", "splice", "constant", "deep", "bytes", "as is"]))
    if action == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif action == "splice":
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(st.sampled_from(["]", "}", ",", '"', "\\", "[{", "1" * 5000]))
            + text[at:]
        )
    elif action == "constant":
        text = text.replace(
            "0.05",
            draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999999", "1" * 5000])),
            1,
        )
    elif action == "deep":
        depth = draw(st.sampled_from([40, 900, 5_000, 100_000]))
        text = "[" * depth + text + "]" * depth
    elif action == "bytes":
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1"]))
        raw = text.encode(encoding, errors="replace")
        if draw(st.booleans()):
            raw = b"\xff\xfe\xfd" + raw
        return raw
    return text
