"""The limits on untrusted JSON input, checked in linear time before anything else reads it.

Every document the loaders read (JSON text, or mappings and lists given directly) passes
:func:`check_json` once. It walks the value level by level with an explicit list (no recursion,
so no depth can exhaust the stack) and refuses:

* nesting deeper than :data:`MAX_DEPTH` arrays and objects (the document itself is level 1);
* numbers that are not finite (``NaN``, ``Infinity``, ``-Infinity``: not JSON, and ``NaN`` is not
  even equal to itself);
* integers of more than :data:`MAX_INTEGER_DIGITS` decimal digits.

After the check, every recursive step of the loaders (unwrapping envelopes, freezing verbatim
values, translating ``az`` output) is at most :data:`MAX_DEPTH` deep.

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
    "check_json",
    "parse_json_text",
]

MAX_DEPTH: Final = 64
"""The deepest nesting of arrays and objects accepted in input (the document is level 1)."""
MAX_INTEGER_DIGITS: Final = 1000
"""The most decimal digits of an integer accepted in input."""
_BITS: Final = int(MAX_INTEGER_DIGITS * 3.3219280948873626) + 1
"""Integers of more bits than this surely have more than :data:`MAX_INTEGER_DIGITS` digits."""
_SCALARS: Final = frozenset({str, int, bool, type(None)})
_NON_FINITE: Final = "not a finite number (NaN and Infinity are not JSON numbers)"


class _Constant(str):
    """``NaN``, ``Infinity`` or ``-Infinity`` as the JSON parser met it (refused by the check)."""

    __slots__ = ()


def _constant(text: str) -> _Constant:
    return _Constant(text)


def parse_json_text(text: str | bytes, where: str) -> Any:
    """Parse JSON text and :func:`check_json` the result.

    Raises:
        MalformedJsonError: Not JSON, not UTF-8, or nested beyond what can be parsed.
        LimitExceededError: A limit of :func:`check_json` (or an integer over Python's own digit
            limit for parsing text).
        InvalidFieldError: A non-finite number.
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
    check_json(document, where)
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
    while level:
        below: list[Any] = []
        add = below.append
        for container in level:
            if type(container) is dict:
                items: Any = container.values()
            elif type(container) is list or type(container) is tuple:
                items = container
            elif isinstance(container, Mapping):
                items = container.values()
            else:  # not a container: checked on its own
                items = (container,) if depth == 1 else ()
                if depth == 1 and _bad_scalar(container):
                    _fail(value, where)
            for item in items:
                kind = type(item)
                if kind is str:
                    continue
                if kind is dict or kind is list or kind is tuple:
                    add(item)
                elif kind in _SCALARS:
                    if kind is int and item.bit_length() > _BITS - 4 and _too_long(item):
                        _fail(value, where)
                elif kind is float:
                    if item - item != 0.0:
                        _fail(value, where)
                elif kind is _Constant:
                    _fail(value, where)
                elif isinstance(item, Mapping):
                    add(item)
        if below:
            depth += 1
            if depth > MAX_DEPTH:
                _fail(value, where)
        level = below


def _too_long(number: int) -> bool:
    return bool(abs(number) >= 10**MAX_INTEGER_DIGITS)


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
                _NON_FINITE, field=path or None, value=float(item) if type(item) is float else item
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
