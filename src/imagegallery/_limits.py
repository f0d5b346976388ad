"""The limits on untrusted JSON input, checked in linear time and without recursion.

Each limit is checked where the loaders read values, so that a load pays for no extra pass over
the document:

* values the library keeps verbatim (unknown properties, raw objects, ``extra`` mappings given to
  constructors and updates) pass :func:`check_json`, which walks them level by level with an
  explicit list (no depth can exhaust the stack) and refuses nesting deeper than
  :data:`MAX_DEPTH` arrays and objects, non-finite numbers (``NaN``, ``Infinity``: not JSON,
  and ``NaN`` is not even equal to itself) and integers of more than :data:`MAX_INTEGER_DIGITS`
  digits;
* modelled fields are read by typed codecs that only descend as deep as the schema, refuse
  non-finite numbers, and check integer ranges;
* lists and envelopes around resources nest at most :data:`MAX_DEPTH` levels;
* JSON text nested deeper than Python's parser reads (its recursion limit) is refused with the
  same :class:`~imagegallery.errors.LimitExceededError`, and so is an integer over Python's own
  digit limit for text.

Example:
    >>> check_json({"a": [1, 2.5, None]})
    >>> check_json({"a": [float("nan")]})
    Traceback (most recent call last):
    ...
    imagegallery.errors.InvalidFieldError: a[0]: not a finite number ... (got nan)
    >>> value: object = 1
    >>> for _ in range(MAX_DEPTH):
    ...     value = [value]
    >>> check_json({"deep": value})
    Traceback (most recent call last):
    ...
    imagegallery.errors.LimitExceededError: deep[0]...[0]: nested deeper than 64 arrays and objects
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, Final

from imagegallery.errors import InvalidFieldError, LimitExceededError, MalformedJsonError

__all__ = [
    "MAX_DEPTH",
    "MAX_INTEGER_DIGITS",
    "NON_FINITE_REASON",
    "check_json",
    "is_non_finite",
    "parse_json_text",
]

MAX_DEPTH: Final = 64
"""The deepest nesting of arrays and objects accepted in input (the document is level 1)."""
MAX_INTEGER_DIGITS: Final = 1000
"""The most decimal digits of an integer accepted in input."""
_BIG: Final = 10**MAX_INTEGER_DIGITS
"""The smallest integer with more than :data:`MAX_INTEGER_DIGITS` digits."""


class _Constant(str):
    """``NaN``, ``Infinity`` or ``-Infinity`` as the JSON parser met it (refused by the check)."""

    __slots__ = ()


NON_FINITE_REASON: Final = "not a finite number (NaN and Infinity are not JSON numbers)"


def is_non_finite(raw: Any) -> bool:
    """Whether ``raw`` is a non-finite float or the parser's marker of one."""
    kind = type(raw)
    return kind is _Constant or (kind is float and raw - raw != 0.0)


def _constant(text: str) -> _Constant:
    return _Constant(text)


def parse_json_text(text: str | bytes, where: str) -> Any:
    """Parse JSON text; ``NaN``, ``Infinity`` and ``-Infinity`` become markers
    (not ``str`` by type), which every reader refuses with the path where they sit.

    Raises:
        MalformedJsonError: Not JSON, or not UTF-8.
        LimitExceededError: Nested beyond what the parser reads (Python's recursion limit, far
            above :data:`MAX_DEPTH`), or an integer over Python's own digit limit for text.
    """
    try:
        document = json.loads(text, parse_constant=_constant)
    except json.JSONDecodeError as err:
        raise MalformedJsonError(
            f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}",
            field=where or None,
            value=err.doc[max(0, err.pos - 20) : err.pos + 20],
        ) from None
    except UnicodeDecodeError as err:
        raise MalformedJsonError(
            f"not valid UTF-8 JSON: {err.reason}", field=where or None
        ) from None
    except RecursionError:
        raise LimitExceededError(
            f"nested deeper than {MAX_DEPTH} arrays and objects",
            field=where or None,
            limit="depth",
            maximum=MAX_DEPTH,
        ) from None
    except ValueError:  # an integer beyond Python's digit limit for text conversion
        raise LimitExceededError(
            f"an integer has more than {MAX_INTEGER_DIGITS} digits"
            f" (more than {sys.get_int_max_str_digits()}, Python's limit for reading text)",
            field=where or None,
            limit="integer digits",
            maximum=MAX_INTEGER_DIGITS,
        ) from None
    return document


def check_json(value: Any, where: str = "") -> None:
    """Check ``value`` (parsed JSON, or mappings, lists and tuples) against the input limits.

    Linear in the size of ``value``; the path of an offending value is worked out only once one is
    found.

    Raises:
        LimitExceededError: Nesting deeper than :data:`MAX_DEPTH`, or an integer of more than
            :data:`MAX_INTEGER_DIGITS` digits.
        InvalidFieldError: A non-finite number.
    """
    level = [value]
    depth = 1
    if _bad_scalar(value):
        _fail(value, where)
    big = _BIG
    while level:
        below: list[Any] = []
        add = below.append
        for container in level:
            kind = type(container)
            if kind is dict:
                items: Any = container.values()
            elif kind is list or kind is tuple or isinstance(container, list | tuple):
                items = container
            elif isinstance(container, Mapping):
                items = container.values()
            else:  # a scalar document
                continue
            for item in items:
                kind = type(item)
                if kind is str:
                    continue
                if kind is dict or kind is list:
                    add(item)
                elif kind is int:
                    if not -big < item < big:
                        _fail(value, where)
                elif kind is float:
                    if item - item != 0.0:
                        _fail(value, where)
                elif kind is bool or item is None:
                    continue
                elif kind is tuple or isinstance(item, list | tuple | Mapping):
                    add(item)  # subclasses too: freeze_json reads them as arrays and objects
                elif kind is _Constant:
                    _fail(value, where)
        if below:
            depth += 1
            if depth > MAX_DEPTH:
                _fail(value, where)
        level = below


def _too_long(number: int) -> bool:
    return bool(abs(number) >= _BIG)


def _bad_scalar(item: Any) -> bool:
    kind = type(item)
    if kind is float:
        return bool(item - item != 0.0)
    if kind is int:
        return _too_long(item)
    return kind is _Constant


def _fail(value: Any, where: str) -> None:
    """Find the first offending value (depth first, keeping paths) and raise its error."""
    stack: list[tuple[Any, str, int]] = [(value, where, 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, Mapping | list | tuple):
            if depth > MAX_DEPTH:
                raise LimitExceededError(
                    f"nested deeper than {MAX_DEPTH} arrays and objects",
                    field=path or None,
                    limit="depth",
                    maximum=MAX_DEPTH,
                )
            pairs = (
                [(f"{path}.{k}" if path else str(k), v) for k, v in item.items()]
                if isinstance(item, Mapping)
                else [(f"{path}[{i}]", v) for i, v in enumerate(item)]
            )
            stack.extend((v, p, depth + 1) for p, v in reversed(pairs))
        elif type(item) is _Constant or (type(item) is float and item - item != 0.0):
            raise InvalidFieldError(
                NON_FINITE_REASON,
                field=path or None,
                value=float(item) if type(item) is float else item,
            )
        elif type(item) is int and _too_long(item):
            raise LimitExceededError(
                f"an integer has more than {MAX_INTEGER_DIGITS} digits",
                field=path or None,
                value=item,
                limit="integer digits",
                maximum=MAX_INTEGER_DIGITS,
            )
    raise AssertionError("check_json found no offending value")  # pragma: no cover
