"""JSON codecs: how one ARM value is read into a typed value and written back.

``load`` raises errors whose ``field`` is relative to the value it was given (``None`` for the value
itself); callers prefix the path on the way out, so no path is built on the happy path.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from imagegallery._frozen import EMPTY, FrozenDict, StringMap, freeze_json, thaw_json
from imagegallery._limits import NON_FINITE_REASON, is_non_finite
from imagegallery._speed import Interner
from imagegallery.enums import ClosedEnum, OpenEnum
from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.ids import ResourceId
from imagegallery.regions import normalize_region
from imagegallery.timestamps import parse_datetime

__all__ = [
    "BOOL",
    "ID",
    "INT",
    "NUMBER",
    "RAW",
    "REGION",
    "STR",
    "STR_MAP",
    "TIME",
    "Codec",
    "Reading",
    "enum_codec",
    "list_of",
]


class Reading:
    """What one load call knows while it reads: its :class:`~imagegallery._speed.Interner`, and
    whether the resource being read is ``az`` output (whose added ``resourceGroup`` keys the
    reader drops while it visits each object). Made by one load call, dropped when it returns.
    """

    __slots__ = ("az", "interner")

    def __init__(self) -> None:
        self.interner = Interner()
        self.az = False


class Codec:
    """Reads one JSON value into a typed value and writes it back.

    ``load`` takes the load's :class:`Reading` (or ``None``) as a second argument, for the
    codecs of nested objects and arrays of them.
    """

    lossy: bool = False
    expected: str = "a value"
    produces: tuple[type, ...] = (object,)
    """The types :meth:`load` returns (``object``: any); arrays give tuples of :attr:`item`'s."""

    def load(self, raw: Any, reading: Reading | None = None) -> Any:  # pragma: no cover
        raise NotImplementedError

    def reference(self, raw: Any, reading: Reading | None = None) -> Any:
        """:meth:`load` by the definition: the same value, read without compiled shortcuts (the
        reading the compiled readers of :mod:`imagegallery._schema` are checked against)."""
        return self.load(raw, reading)

    def dump(self, value: Any) -> Any:
        return value

    def exact(self, value: Any, raw: Any) -> bool:
        """Whether :meth:`dump` of ``value`` gives back ``raw`` (only asked of lossy codecs)."""
        return True

    def same(self, memo: Any, value: Any) -> bool:
        """Whether ``memo``, an original spelling this codec once loaded, still means ``value``
        (then it is written back instead of ``dump(value)``)."""
        try:
            return bool(self.load(memo) == value)
        except InvalidFieldError:
            return False

    def _type_error(self, raw: Any) -> InvalidFieldError:
        if is_non_finite(raw):
            return InvalidFieldError(NON_FINITE_REASON, value=raw)
        return InvalidTypeError(f"expected {self.expected}", value=raw)


class _Scalar(Codec):
    """A JSON string, integer, boolean or number, kept as it is (``bool`` is not an integer)."""

    def __init__(self, expected: str, *types: type) -> None:
        self.expected = expected
        self.types = frozenset(types)
        self.produces = types

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        kind = type(raw)
        if kind not in self.types or (kind is float and raw - raw != 0.0):
            raise self._type_error(raw)
        return raw


class _Raw(Codec):
    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        return freeze_json(raw)

    def dump(self, value: Any) -> Any:
        return thaw_json(value)


class _StrMap(Codec):
    expected = "an object of strings"
    produces = (StringMap, FrozenDict)  # FrozenDict: EMPTY

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        if type(raw) is not dict:
            raise self._type_error(raw)
        if not raw:
            return EMPTY
        for key, item in raw.items():
            if type(item) is not str:
                raise InvalidTypeError("expected a string", field=key, value=item)
        return StringMap(raw)

    def dump(self, value: Any) -> Any:
        return dict(value)


class _Id(Codec):
    expected = "a resource id string"
    produces = (ResourceId,)

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        return ResourceId.parse(raw)

    def dump(self, value: Any) -> Any:
        return str(value)  # str(ResourceId) keeps the original text


class _Region(Codec):
    lossy = True
    produces = (str,)

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        return normalize_region(raw)

    def exact(self, value: Any, raw: Any) -> bool:
        return bool(value == raw)

    def same(self, memo: Any, value: Any) -> bool:
        # the memo was loaded once, so it is a valid name: normalizing it is only this
        return type(memo) is str and memo.replace(" ", "").lower() == value


class _Time(Codec):
    lossy = True
    produces = (datetime,)

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        return parse_datetime(raw)

    def dump(self, value: Any) -> Any:
        assert isinstance(value, datetime)
        return value.isoformat()

    def exact(self, value: Any, raw: Any) -> bool:
        return False


class _Enum(Codec):
    lossy = True
    expected = "a string"

    def __init__(self, cls: type[ClosedEnum | OpenEnum]) -> None:
        self.cls = cls
        self.members = cls._value2member_map_
        self.produces = (cls,)

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        member = self.members.get(raw) if type(raw) is str else None
        if member is not None:
            return member
        if type(raw) is not str:
            raise self._type_error(raw)
        return self.cls(raw)

    def dump(self, value: Any) -> Any:
        return value.value

    def exact(self, value: Any, raw: Any) -> bool:
        return bool(value._value_ == raw)


class _List(Codec):
    expected = "an array"

    def __init__(self, item: Codec) -> None:
        self.item = item
        self.lossy = item.lossy
        self.produces = (tuple,)

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        if type(raw) is not list:
            raise self._type_error(raw)
        load = self.item.load
        out: list[Any] = []
        append = out.append
        try:
            for item in raw:
                append(load(item, reading))
        except InvalidFieldError as err:
            raise err.at(f"[{len(out)}]") from None
        return tuple(out)

    def reference(self, raw: Any, reading: Reading | None = None) -> Any:
        if type(raw) is not list:
            raise self._type_error(raw)
        load = self.item.reference
        out: list[Any] = []
        try:
            for item in raw:
                out.append(load(item, reading))
        except InvalidFieldError as err:
            raise err.at(f"[{len(out)}]") from None
        return tuple(out)

    def dump(self, value: Any) -> Any:
        dump = self.item.dump
        return [dump(x) for x in value]

    def exact(self, value: Any, raw: Any) -> bool:
        return all(self.item.exact(x, r) for x, r in zip(value, raw, strict=True))


STR: Final = _Scalar("a string", str)
INT: Final = _Scalar("an integer", int)
BOOL: Final = _Scalar("true or false", bool)
NUMBER: Final = _Scalar("a number", int, float)
RAW: Final = _Raw()
STR_MAP: Final = _StrMap()
ID: Final = _Id()
REGION: Final = _Region()
TIME: Final = _Time()


def enum_codec(cls: type[ClosedEnum | OpenEnum]) -> Codec:
    """The codec of an enum-valued field."""
    return _Enum(cls)


def list_of(item: Codec) -> Codec:
    """The codec of a JSON array."""
    return _List(item)
