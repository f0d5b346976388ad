"""The declarative mapping between entities and ARM JSON, lossless both ways.

Each entity field that has an ARM home is declared with :func:`arm_field` (its key, a JSON codec,
whether it is required, and the value Azure implies when it is absent). :func:`structure` reads a
JSON object into an entity and :func:`unstructure` writes it back:

* keys the entity does not model are kept verbatim in ``extra`` (and ``extra_properties`` for the
  ``properties`` bag of a resource);
* where the typed value does not spell the input exactly (a region ``East US 2`` kept as
  ``eastus2``, a date-time with 7 fractional digits, an explicit ``null``, a key absent but implied
  by a default) the original is remembered in the entity's private ``_wire`` memo and written back
  as long as the typed value still means the same thing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Final, TypeVar

import attrs

from imagegallery._frozen import EMPTY, FrozenDict, freeze_json, thaw_json
from imagegallery._validators import frozen_map, parse_datetime
from imagegallery.enums import ClosedEnum, OpenEnum
from imagegallery.errors import (
    ConstraintViolationError,
    InvalidFieldError,
    InvalidTypeError,
    MissingFieldError,
)
from imagegallery.ids import ResourceId
from imagegallery.regions import normalize_region

__all__ = ["ArmObject", "ArmResource", "arm_field", "structure", "unstructure"]

_T = TypeVar("_T")


class _Absent(enum.Enum):
    ABSENT = "absent"


ABSENT: Final = _Absent.ABSENT
_NO_DEFAULT: Final[Any] = object()
_MISSING: Final[Any] = object()


# -- codecs ------------------------------------------------------------------------------------


class Codec:
    """Reads one JSON value into a typed value and writes it back."""

    lossy: bool = False
    expected: ClassVar[str] = "a value"

    def load(self, raw: Any, path: str) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        return value

    def exact(self, value: Any, raw: Any) -> bool:
        """Whether :meth:`dump` of ``value`` gives back ``raw`` (only asked of lossy codecs)."""
        return True

    def _type_error(self, raw: Any, path: str) -> InvalidTypeError:
        return InvalidTypeError(f"expected {self.expected}", field=path, value=raw)


class _Str(Codec):
    expected = "a string"

    def load(self, raw: Any, path: str) -> Any:
        if type(raw) is not str:
            raise self._type_error(raw, path)
        return raw


class _Int(Codec):
    expected = "an integer"

    def load(self, raw: Any, path: str) -> Any:
        if type(raw) is not int:
            raise self._type_error(raw, path)
        return raw


class _Bool(Codec):
    expected = "true or false"

    def load(self, raw: Any, path: str) -> Any:
        if type(raw) is not bool:
            raise self._type_error(raw, path)
        return raw


class _Number(Codec):
    expected = "a number"

    def load(self, raw: Any, path: str) -> Any:
        if type(raw) is not int and type(raw) is not float:
            raise self._type_error(raw, path)
        return raw


class _Raw(Codec):
    def load(self, raw: Any, path: str) -> Any:
        return freeze_json(raw)

    def dump(self, value: Any) -> Any:
        return thaw_json(value)


class _StrMap(Codec):
    expected = "an object of strings"

    def load(self, raw: Any, path: str) -> Any:
        if type(raw) is not dict:
            raise self._type_error(raw, path)
        for key, item in raw.items():
            if type(item) is not str:
                raise InvalidTypeError("expected a string", field=f"{path}.{key}", value=item)
        return FrozenDict(raw) if raw else EMPTY

    def dump(self, value: Any) -> Any:
        return dict(value)


class _Id(Codec):
    expected = "a resource id string"

    def load(self, raw: Any, path: str) -> Any:
        try:
            return ResourceId.parse(raw)
        except InvalidFieldError as err:
            raise err.at(path) from None

    def dump(self, value: Any) -> Any:
        return str(value)  # str(ResourceId) keeps the original text


class _Region(Codec):
    lossy = True

    def load(self, raw: Any, path: str) -> Any:
        try:
            return normalize_region(raw)
        except InvalidFieldError as err:
            raise err.at(path) from None

    def exact(self, value: Any, raw: Any) -> bool:
        return bool(value == raw)


class _Time(Codec):
    lossy = True

    def load(self, raw: Any, path: str) -> Any:
        try:
            return parse_datetime(raw)
        except InvalidFieldError as err:
            raise err.at(path) from None

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

    def load(self, raw: Any, path: str) -> Any:
        if type(raw) is not str:
            raise self._type_error(raw, path)
        try:
            return self.cls(raw)
        except InvalidFieldError as err:
            raise err.at(path) from None

    def dump(self, value: Any) -> Any:
        return value.value

    def exact(self, value: Any, raw: Any) -> bool:
        return bool(value.value == raw)


class _Obj(Codec):
    expected = "an object"

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def load(self, raw: Any, path: str) -> Any:
        return structure(self.cls, raw, path)

    def dump(self, value: Any) -> Any:
        return unstructure(value)


class _List(Codec):
    expected = "an array"

    def __init__(self, item: Codec) -> None:
        self.item = item
        self.lossy = item.lossy

    def exact(self, value: Any, raw: Any) -> bool:
        return all(self.item.exact(x, r) for x, r in zip(value, raw, strict=True))

    def load(self, raw: Any, path: str) -> Any:
        if type(raw) is not list:
            raise self._type_error(raw, path)
        load = self.item.load
        return tuple([load(x, f"{path}[{i}]") for i, x in enumerate(raw)])

    def dump(self, value: Any) -> Any:
        dump = self.item.dump
        return [dump(x) for x in value]


STR: Final = _Str()
INT: Final = _Int()
BOOL: Final = _Bool()
NUMBER: Final = _Number()
RAW: Final = _Raw()
STR_MAP: Final = _StrMap()
ID: Final = _Id()
REGION: Final = _Region()
TIME: Final = _Time()


def enum_codec(cls: type[ClosedEnum | OpenEnum]) -> Codec:
    """The codec of an enum-valued field."""
    return _Enum(cls)


def obj(cls: type) -> Codec:
    """The codec of a nested object."""
    return _Obj(cls)


def list_of(item: Codec) -> Codec:
    """The codec of a JSON array."""
    return _List(item)


# -- field declarations ------------------------------------------------------------------------


@attrs.frozen
class _FieldSpec:
    attr: str
    group: str  # "" for top-level keys, "properties" for the properties bag
    key: str
    path: str  # "properties.osType"
    codec: Codec
    required: bool
    absent_default: Any


def arm_field(
    key: str,
    codec: Codec,
    *,
    required: bool = False,
    absent_default: Any = _NO_DEFAULT,
    **kwargs: Any,
) -> Any:
    """Declare an attrs field with an ARM home.

    Args:
        key: The JSON key; ``"properties.osType"`` for a key inside the ``properties`` bag.
        codec: How to read and write the JSON value.
        required: Whether the key must be present.
        absent_default: The value Azure implies when the key is absent (remembered so that an
            absent key stays absent when written back).
        **kwargs: Passed to :func:`attrs.field`.
    """
    if absent_default is not _NO_DEFAULT and "default" not in kwargs and "factory" not in kwargs:
        kwargs["default"] = absent_default
    elif not required and "default" not in kwargs and "factory" not in kwargs:
        kwargs["default"] = None
    metadata = {"arm": (key, codec, required, absent_default)}
    return attrs.field(metadata=metadata, **kwargs)


@attrs.frozen(kw_only=True)
class ArmObject:
    """Base of every ARM-shaped value: keeps unmodelled keys and the original spellings."""

    extra: FrozenDict[Any] = attrs.field(
        default=EMPTY, converter=frozen_map, repr=False, kw_only=True
    )
    """Keys of the JSON object this class does not model, kept verbatim (deeply frozen)."""
    _wire: FrozenDict[Any] = attrs.field(
        default=EMPTY, eq=False, hash=False, repr=False, alias="_wire", kw_only=True
    )


@attrs.frozen(kw_only=True)
class ArmResource(ArmObject):
    """Base of the three resource types: also keeps unmodelled keys of ``properties``."""

    extra_properties: FrozenDict[Any] = attrs.field(
        default=EMPTY, converter=frozen_map, repr=False, kw_only=True
    )
    """Keys of ``properties`` this class does not model, kept verbatim (deeply frozen)."""


@attrs.frozen
class _ClassSpec:
    fields: tuple[_FieldSpec, ...]
    top: tuple[_FieldSpec, ...]
    props: tuple[_FieldSpec, ...]
    top_known: frozenset[str]
    prop_known: frozenset[str]
    by_attr: Mapping[str, _FieldSpec]
    is_resource: bool


_SPECS: dict[type, _ClassSpec] = {}


def _spec(cls: type) -> _ClassSpec:
    spec = _SPECS.get(cls)
    if spec is not None:
        return spec
    specs = []
    for field in attrs.fields(cls):
        meta = field.metadata.get("arm")
        if meta is None:
            continue
        key, codec, required, absent_default = meta
        group, _, leaf = key.rpartition(".")
        specs.append(_FieldSpec(field.name, group, leaf, key, codec, required, absent_default))
    top = tuple(s for s in specs if not s.group)
    props = tuple(s for s in specs if s.group == "properties")
    is_resource = issubclass(cls, ArmResource)
    top_known = frozenset(s.key for s in top) | (
        {"properties", "name", "type"} if is_resource else set()
    )
    spec = _ClassSpec(
        fields=tuple(specs),
        top=top,
        props=props,
        top_known=top_known,
        prop_known=frozenset(s.key for s in props),
        by_attr={s.attr: s for s in specs},
        is_resource=is_resource,
    )
    _SPECS[cls] = spec
    return spec


# -- structure ---------------------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _read(
    fields: tuple[_FieldSpec, ...],
    data: dict[str, Any],
    path: str,
    kwargs: dict[str, Any],
    wire: dict[str, Any],
) -> None:
    for f in fields:
        raw = data.get(f.key, _MISSING)
        if raw is _MISSING:
            if f.required:
                raise MissingFieldError("required field is missing", field=_join(path, f.path))
            if f.absent_default is not _NO_DEFAULT:
                wire[f.path] = ABSENT
            continue
        if raw is None:
            wire[f.path] = None
            if f.absent_default is not _NO_DEFAULT:
                kwargs[f.attr] = f.absent_default
            elif f.required:
                raise MissingFieldError("required field is null", field=_join(path, f.path))
            continue
        codec = f.codec
        value = codec.load(raw, _join(path, f.path))
        kwargs[f.attr] = value
        if codec.lossy and not codec.exact(value, raw):
            wire[f.path] = raw


def structure(cls: type[_T], data: Any, path: str = "") -> _T:
    """Read the JSON object ``data`` into an instance of ``cls``.

    Raises:
        InvalidFieldError: (a subclass of it) naming the path of the offending value.
    """
    spec = _spec(cls)
    if type(data) is not dict:
        raise InvalidTypeError("expected a JSON object", field=path or None, value=data)
    kwargs: dict[str, Any] = {}
    wire: dict[str, Any] = {}
    _read(spec.top, data, path, kwargs, wire)
    extra = {k: v for k, v in data.items() if k not in spec.top_known}
    if extra:
        kwargs["extra"] = freeze_json(extra)
    if spec.is_resource:
        for key in ("name", "type"):
            raw = data.get(key, _MISSING)
            if raw is not _MISSING and type(raw) is not str:
                raise InvalidTypeError("expected a string", field=_join(path, key), value=raw)
            wire[key] = ABSENT if raw is _MISSING else raw
        props = data.get("properties", _MISSING)
        if props is _MISSING or props is None:
            wire["properties"] = ABSENT if props is _MISSING else None
            props = {}
        elif type(props) is not dict:
            raise InvalidTypeError(
                "expected a JSON object", field=_join(path, "properties"), value=props
            )
        _read(spec.props, props, path, kwargs, wire)
        extra_props = {k: v for k, v in props.items() if k not in spec.prop_known}
        if extra_props:
            kwargs["extra_properties"] = freeze_json(extra_props)
    if wire:
        kwargs["_wire"] = FrozenDict(wire)
    try:
        made = cls(**kwargs)
    except InvalidFieldError as err:
        raise _relocate(err, spec, path) from None
    if spec.is_resource:
        name = wire["name"]
        if name is not ABSENT and name.lower() != made.id.name.lower():  # type: ignore[attr-defined]
            raise ConstraintViolationError(
                f"the name must be the last segment of the id {made.id}",  # type: ignore[attr-defined]
                field=_join(path, "name"),
                value=name,
            )
    return made


def _relocate(err: InvalidFieldError, spec: _ClassSpec, path: str) -> InvalidFieldError:
    """Translate an attribute name in ``err.field`` into the ARM path of that attribute."""
    field = err.field or ""
    cut = min((i for i in (field.find("."), field.find("[")) if i >= 0), default=len(field))
    head, rest = field[:cut], field[cut:]
    fspec = spec.by_attr.get(head)
    if fspec is not None:
        err = err.at("")
        err.field = fspec.path + rest
        err.args = (str(err),)
    return err.at(path) if path else err


# -- unstructure -------------------------------------------------------------------------------


def _write(
    fields: tuple[_FieldSpec, ...], obj_: Any, wire: Mapping[str, Any], out: dict[str, Any]
) -> None:
    for f in fields:
        value = getattr(obj_, f.attr)
        memo = wire.get(f.path, _MISSING) if wire else _MISSING
        if memo is not _MISSING:
            implied = value is None or (
                f.absent_default is not _NO_DEFAULT and value == f.absent_default
            )
            if memo is ABSENT:
                if implied:
                    continue
            elif memo is None:
                if implied:
                    out[f.key] = None
                    continue
            elif value is not None and _same(f.codec, memo, value):
                out[f.key] = memo
                continue
        if value is None:
            continue
        out[f.key] = f.codec.dump(value)


def _same(codec: Codec, memo: Any, value: Any) -> bool:
    try:
        return bool(codec.load(memo, "") == value)
    except InvalidFieldError:
        return False


def unstructure(obj_: Any) -> dict[str, Any]:
    """Write an entity back as a JSON object (the inverse of :func:`structure`)."""
    spec = _spec(type(obj_))
    wire: Mapping[str, Any] = obj_._wire
    out: dict[str, Any] = {}
    _write(spec.top, obj_, wire, out)
    if obj_.extra:
        for key, value in obj_.extra.items():
            out[key] = thaw_json(value)
    if spec.is_resource:
        name_memo = wire.get("name", _MISSING) if wire else _MISSING
        rid = obj_.id
        if name_memo is _MISSING:
            out["name"] = rid.name
        elif name_memo is not ABSENT:
            out["name"] = name_memo if name_memo.lower() == rid.name.lower() else rid.name
        type_memo = wire.get("type", _MISSING) if wire else _MISSING
        if type_memo is _MISSING:
            out["type"] = type(obj_).ARM_TYPE
        elif type_memo is not ABSENT:
            out["type"] = type_memo
        props: dict[str, Any] = {}
        _write(spec.props, obj_, wire, props)
        if obj_.extra_properties:
            for key, value in obj_.extra_properties.items():
                props[key] = thaw_json(value)
        memo = wire.get("properties", _MISSING) if wire else _MISSING
        if props or memo is _MISSING:
            out["properties"] = props
        elif memo is None:
            out["properties"] = None
    return out


def field_path(cls: type, attr: str) -> str:
    """The ARM path of an attribute (``properties.osType`` for ``os_type``)."""
    return _spec(cls).by_attr[attr].path


Converter = Callable[[Any], Any]
