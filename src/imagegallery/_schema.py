"""The declarative mapping between entities and ARM JSON, lossless both ways.

Each entity field that has an ARM home is declared with ``attrs.field(metadata=arm(...))``: its
key, a JSON codec, whether it is required, and the value Azure implies when it is absent.
:func:`structure` reads a JSON object into an entity and :func:`unstructure` writes it back:

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
from typing import Any, Final

import attrs

from imagegallery._codecs import (
    BOOL,
    ID,
    INT,
    REGION,
    STR,
    TIME,
    Codec,
    Reading,
    enum_codec,
    list_of,
)
from imagegallery._frozen import EMPTY, FrozenDict, StringMap, freeze_json, thaw_json
from imagegallery._limits import check_json
from imagegallery._shapes import az_resource_group, without_az_resource_groups
from imagegallery._validators import (
    frozen_map,
    optional_frozen_map,
    optional_region,
    optional_tuple,
    region,
)
from imagegallery.enums import ClosedEnum, OpenEnum
from imagegallery.errors import (
    ConstraintViolationError,
    InvalidFieldError,
    InvalidTypeError,
    MissingFieldError,
)
from imagegallery.ids import ResourceId, to_resource_id
from imagegallery.regions import normalize_region
from imagegallery.timestamps import optional_datetime, parse_datetime

__all__ = [
    "ArmObject",
    "ArmResource",
    "ObjectCodec",
    "arm",
    "obj",
    "structure",
    "unstructure",
]


class _Absent(enum.Enum):
    ABSENT = "absent"


ABSENT: Final = _Absent.ABSENT
_NO_DEFAULT: Final[Any] = object()
_MISSING: Final[Any] = object()


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


def arm(
    key: str,
    codec: Codec | type | list[type],
    *,
    required: bool = False,
    absent_default: Any = _NO_DEFAULT,
) -> dict[str, Any]:
    """The ``metadata`` of an attrs field with an ARM home.

    Use as ``attrs.field(metadata=arm("regionalReplicaCount", INT), default=None, ...)`` so that
    type checkers still see the field's converter.

    Args:
        key: The JSON key; ``"properties.osType"`` for a key inside the ``properties`` bag.
        codec: How to read and write the JSON value: a codec, ``str``, an enum class (read by
            value), an :class:`ArmObject` class (read as a nested object), or one of these in a
            list (an array of them).
        required: Whether the key must be present.
        absent_default: The value Azure implies when the key is absent (give the same value as
            the field's ``default``; it is remembered so that an absent key stays absent when
            written back).
    """
    return {"arm": (key, codec_of(codec), required, absent_default)}


def codec_of(kind: Codec | type | list[type]) -> Codec:
    """``kind`` itself if it is a codec, else the codec of values of the class ``kind`` (of arrays
    of them for ``[kind]``)."""
    if isinstance(kind, Codec):
        return kind
    if isinstance(kind, list):
        (item,) = kind
        return list_of(codec_of(item))
    if kind is str:
        return STR
    if issubclass(kind, ClosedEnum | OpenEnum):
        return enum_codec(kind)
    if issubclass(kind, ArmObject):
        return ObjectCodec(kind)
    raise TypeError(f"no codec for {kind!r}")  # a declaration error, found at import time


@attrs.frozen(kw_only=True)
class ArmObject:
    """Base of every ARM-shaped value: keeps unmodelled keys and the original spellings."""

    extra: FrozenDict[Any] = attrs.field(
        default=EMPTY, converter=frozen_map, repr=False, kw_only=True
    )
    """Keys of the JSON object this class does not model, kept verbatim (deeply frozen)."""
    _wire: Mapping[str, Any] = attrs.field(
        default=EMPTY, eq=False, hash=False, repr=False, alias="_wire", kw_only=True
    )


@attrs.frozen(kw_only=True)
class ArmResource(ArmObject):
    """Base of the three resource types: also keeps unmodelled keys of ``properties``."""

    extra_properties: FrozenDict[Any] = attrs.field(
        default=EMPTY, converter=frozen_map, repr=False, kw_only=True
    )
    """Keys of ``properties`` this class does not model, kept verbatim (deeply frozen)."""


_Reader = tuple[str, str, Callable[..., Any], Callable[[Any, Any], bool] | None, Any, bool]
"""Per field: attribute, path, ``codec.load``, ``codec.exact`` (lossy codecs only), absent
default, required."""


@attrs.frozen
class _ClassSpec:
    cls: type
    top: tuple[_FieldSpec, ...]
    props: tuple[_FieldSpec, ...]
    by_attr: Mapping[str, _FieldSpec]
    is_resource: bool
    top_by_key: Mapping[str, _Reader]
    props_by_key: Mapping[str, _Reader]
    top_check: tuple[_FieldSpec, ...]
    props_check: tuple[_FieldSpec, ...]
    prop_keys: frozenset[str]
    """The keys of ``properties`` the class models."""


def _reader(s: _FieldSpec) -> _Reader:
    exact = s.codec.exact if s.codec.lossy else None
    return (s.attr, s.path, s.codec.reference, exact, s.absent_default, s.required)


def _class_spec(cls: type) -> _ClassSpec:
    """Read the ARM declarations of ``cls``'s fields (once per class, when its codec is made)."""
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
    return _ClassSpec(
        cls=cls,
        top=top,
        props=props,
        by_attr={s.attr: s for s in specs},
        is_resource=issubclass(cls, ArmResource),
        top_by_key={s.key: _reader(s) for s in top},
        props_by_key={s.key: _reader(s) for s in props},
        top_check=tuple(s for s in top if s.required or s.absent_default is not _NO_DEFAULT),
        props_check=tuple(s for s in props if s.required or s.absent_default is not _NO_DEFAULT),
        prop_keys=frozenset(s.key for s in props),
    )


class ObjectCodec(Codec):
    """The codec of a JSON object read into an :class:`ArmObject` class (a nested value, or a
    whole resource).

    The class's field declarations are read when the codec is made (at import time), so that
    reading and writing consult no shared table.
    """

    expected = "an object"

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.spec = _class_spec(cls)
        self.produces = (cls,)
        self.read: Callable[[Any, Reading | None], Any] = _compile(self.spec)
        """The class's compiled reader (see :func:`_compile`): what :meth:`load` runs."""
        self.write: Callable[[Any], dict[str, Any]] = _compile_writer(self.spec)
        """The class's compiled writer (see :func:`_compile_writer`): what :meth:`dump` runs
        for objects of exactly this class."""

    def load(self, raw: Any, reading: Reading | None = None) -> Any:
        return self.read(raw, reading)

    def reference(self, raw: Any, reading: Reading | None = None) -> Any:
        return structure(self.spec, raw, reading)

    def dump(self, value: Any) -> Any:
        if type(value) is self.cls:
            return self.write(value)
        return unstructure(_class_spec(type(value)), value)


def obj(cls: type) -> ObjectCodec:
    """The codec of a nested object."""
    return ObjectCodec(cls)


# -- structure ---------------------------------------------------------------------------------


def _read(
    readers: Mapping[str, _Reader],
    absent: tuple[_FieldSpec, ...],
    data: Mapping[str, Any],
    kwargs: dict[str, Any],
    wire: dict[str, Any],
    *,
    reading: Reading | None,
) -> dict[str, Any] | None:
    """Read the keys of ``data`` into ``kwargs``; return the keys nobody models (or ``None``)."""
    extra: dict[str, Any] | None = None
    path = ""
    get = readers.get
    try:
        for key, raw in data.items():
            reader = get(key)
            if reader is None:
                if (
                    key == "resourceGroup"
                    and reading is not None
                    and reading.az
                    and raw == az_resource_group(data)
                ):
                    continue  # az added it: written again from the id by az_from_arm
                if extra is None:
                    extra = {}
                extra[key] = raw
                continue
            attr, path, load, exact, absent_default, required = reader
            if raw is None:
                wire[path] = None
                if absent_default is not _NO_DEFAULT:
                    kwargs[attr] = absent_default
                elif required:
                    raise MissingFieldError("required field is null")
                continue
            value = kwargs[attr] = load(raw, reading)
            if exact is not None and not exact(value, raw):
                wire[path] = raw
    except InvalidFieldError as err:
        raise err.at(path) from None
    for f in absent:
        if f.key not in data:
            if f.required:
                raise MissingFieldError("required field is missing", field=f.path)
            wire[f.path] = ABSENT
    return extra


def structure(spec: _ClassSpec, data: Any, reading: Reading | None = None) -> Any:
    """Read the JSON object ``data`` into an instance of ``spec.cls``.

    Args:
        spec: The class's declarations (``ObjectCodec(cls).spec``).
        data: The parsed JSON object.
        reading: The load's :class:`~imagegallery._codecs.Reading` (to share small objects, and
            to drop the ``resourceGroup`` keys of ``az`` output), or ``None``.

    Raises:
        InvalidFieldError: (a subclass of it) whose ``field`` is the path of the offending value,
            relative to ``data``.
    """
    if type(data) is not dict:
        raise InvalidTypeError("expected a JSON object", value=data)
    cls = spec.cls
    intern_key: Any = None
    if reading is not None and not spec.is_resource:
        intern_key, hit = reading.interner.find(cls, data)
        if hit is not None:
            return hit
    kwargs: dict[str, Any] = {}
    wire: dict[str, Any] = {}
    extra = _read(spec.top_by_key, spec.top_check, data, kwargs, wire, reading=reading)
    if spec.is_resource:
        if extra is not None:
            for key in ("name", "type", "properties"):
                extra.pop(key, None)
        arm_type = cls.ARM_TYPE  # type: ignore[attr-defined]
        for key in ("name", "type"):
            raw = data.get(key, _MISSING)
            if raw is _MISSING:
                wire[key] = ABSENT
            elif type(raw) is not str:
                raise InvalidTypeError("expected a string", field=key, value=raw)
            elif key == "type" and raw != arm_type:
                wire[key] = raw  # a spelling to keep, such as Resource Graph's lower case
            elif key == "name" and raw != str(data.get("id", "")).rpartition("/")[2]:
                wire[key] = raw
        props = data.get("properties", _MISSING)
        if props is _MISSING or props is None:
            wire["properties"] = ABSENT if props is _MISSING else None
            props = {}
        elif type(props) is not dict:
            raise InvalidTypeError("expected a JSON object", field="properties", value=props)
        extra_props = _read(
            spec.props_by_key, spec.props_check, props, kwargs, wire, reading=reading
        )
        if extra_props:
            check_json(extra_props, "properties")  # before anything recurses into it
            if reading is not None and reading.az:
                extra_props = without_az_resource_groups(extra_props)
            kwargs["extra_properties"] = freeze_json(extra_props, checked=True)
    if extra:
        check_json(extra)
        if reading is not None and reading.az:
            extra = without_az_resource_groups(extra)
        kwargs["extra"] = freeze_json(extra, checked=True)
    if wire:
        kwargs["_wire"] = wire  # private and never mutated after this point
    try:
        made = cls(**kwargs)
    except InvalidFieldError as err:
        raise _relocate(err, spec) from None
    if intern_key is not None:
        reading.interner.share(intern_key, made)  # type: ignore[union-attr]
    if spec.is_resource:
        name = data.get("name")
        if name is not None and name != made.id.name and name.lower() != made.id.name.lower():
            raise ConstraintViolationError(
                f"the name must be the last segment of the id {made.id}",
                field="name",
                value=name,
            )
    return made


# -- compiled readers ------------------------------------------------------------------------------


def _compile(spec: _ClassSpec) -> Callable[[Any, Reading | None], Any]:
    """A reader specialised for ``spec.cls``: :func:`structure`, compiled from the declarations.

    :func:`structure` is the definition of how an object is read; it consults the class's field
    table for every key of every object and builds the object through its ``__init__``. The
    compiled reader is the same reading written out as straight-line code for one class (the
    way cattrs generates its converters):

    * one dictionary lookup per declared key, scalar codecs checked inline, nested objects read
      by their own compiled readers, unmodelled keys collected only when the object has some;
    * the object is built in place (:func:`_construction`): each value is checked once. A
      validator or converter that only re-checks the type the field's codec already produced
      (``optional_str`` after the string codec, ``instance_of(TargetRegion)`` after the
      ``TargetRegion`` reader) is skipped; every other converter and validator runs, in the
      order ``__init__`` runs them, and so does ``__attrs_post_init__``.

    It handles the common case only. Anything else (a value of the wrong type, a missing
    required key, any error a codec or a validator raises) hands the object to
    :func:`structure`, which raises the error with its path or reads the rare case; so every
    error and path is :func:`structure`'s own, and the tests check that both give identical
    objects, ``_wire`` memo included.
    """
    cls = spec.cls
    env: dict[str, Any] = {
        "cls": cls,
        "MISSING": _MISSING,
        "ABSENT": ABSENT,
        "InvalidFieldError": InvalidFieldError,
        "check_json": check_json,
        "freeze_json": freeze_json,
        "az_resource_group": az_resource_group,
        "without_az_resource_groups": without_az_resource_groups,
        "SPEC": spec,
        "slow": structure,
        "parse_id": ResourceId.parse,
        "normalize_region": normalize_region,
        "parse_datetime": parse_datetime,
    }
    body: list[str] = []
    emit = body.append
    slow = "return slow(SPEC, data, reading)"
    local = {a.name: f"a{i}" for i, a in enumerate(attrs.fields(cls))}

    def field_code(i: int, f: _FieldSpec, source: str, count: str, indent: str) -> None:
        codec = f.codec
        env[f"C{i}"] = codec
        var, path = local[f.attr], repr(f.path)
        emit(f"{indent}raw = {source}.get({f.key!r}, MISSING)")
        emit(f"{indent}if raw is MISSING:")
        if f.required:
            emit(f"{indent}    {slow}")
        elif f.absent_default is not _NO_DEFAULT:
            emit(f"{indent}    wire[{path}] = ABSENT")
        else:
            emit(f"{indent}    pass")
        emit(f"{indent}elif raw is None:")
        if f.required:
            emit(f"{indent}    {slow}")
        else:
            emit(f"{indent}    {count} += 1")
            emit(f"{indent}    wire[{path}] = None")
            if f.absent_default is not _NO_DEFAULT:
                env[f"D{i}"] = f.absent_default
                emit(f"{indent}    {var} = D{i}")
        emit(f"{indent}else:")
        inner = indent + "    "
        emit(f"{inner}{count} += 1")
        if codec is STR or codec is INT or codec is BOOL:
            emit(f"{inner}if type(raw) is not {codec.produces[0].__name__}:")
            emit(f"{inner}    {slow}")
            emit(f"{inner}{var} = raw")
            return
        if isinstance(codec, ObjectCodec):
            env[f"R{i}"] = codec.read
            emit(f"{inner}{var} = R{i}(raw, reading)")
            return
        item = getattr(codec, "item", None)
        if isinstance(item, ObjectCodec):
            env[f"R{i}"] = item.read
            emit(f"{inner}if type(raw) is not list:")
            emit(f"{inner}    {slow}")
            emit(f"{inner}{var} = tuple([R{i}(x, reading) for x in raw])")
            return
        if codec is ID:
            emit(f"{inner}{var} = parse_id(raw)")
            return
        if codec is REGION:
            emit(f"{inner}{var} = normalize_region(raw)")
            emit(f"{inner}if {var} != raw:")
            emit(f"{inner}    wire[{path}] = raw")
            return
        if codec is TIME:
            emit(f"{inner}{var} = parse_datetime(raw)")
            emit(f"{inner}wire[{path}] = raw")
            return
        members = getattr(codec, "members", None)
        if members is not None:  # an enum: a known value is a dictionary lookup (and exact)
            env[f"M{i}"] = members
            emit(f"{inner}{var} = M{i}.get(raw) if type(raw) is str else None")
            emit(f"{inner}if {var} is None:")
            emit(f"{inner}    {var} = C{i}.load(raw, reading)")
            emit(f"{inner}    if not C{i}.exact({var}, raw):")
            emit(f"{inner}        wire[{path}] = raw")
            return
        emit(f"{inner}{var} = C{i}.load(raw, reading)")
        if codec.lossy:
            emit(f"{inner}if not C{i}.exact({var}, raw):")
            emit(f"{inner}    wire[{path}] = raw")

    emit("def read(data, reading):")
    emit("    if type(data) is not dict:")
    emit(f"        {slow}")
    shared = not spec.is_resource
    if shared:
        emit("    ikey = None")
        emit("    if reading is not None and cls not in reading.interner.given_up:")
        emit("        ikey, hit = reading.interner.find(cls, data)")
        emit("        if hit is not None:")
        emit("            return hit")
    emit(f"    {' = '.join(local.values())} = MISSING")
    emit("    wire = {}")
    emit("    n = 0")
    emit("    try:")
    for i, f in enumerate(spec.top):
        field_code(i, f, "data", "n", "        ")
    top_keys = {f.key for f in spec.top}
    if spec.is_resource:
        env["ARM_TYPE"] = cls.ARM_TYPE  # type: ignore[attr-defined]
        top_keys |= {"name", "type", "properties"}
        emit("        raw = data.get('name', MISSING)")
        emit("        if raw is MISSING:")
        emit("            wire['name'] = ABSENT")
        emit("        elif type(raw) is not str:")
        emit(f"            {slow}")
        emit("        else:")
        emit("            n += 1")
        emit("            if raw != str(data.get('id', '')).rpartition('/')[2]:")
        emit("                wire['name'] = raw")
        emit("        raw = data.get('type', MISSING)")
        emit("        if raw is MISSING:")
        emit("            wire['type'] = ABSENT")
        emit("        elif type(raw) is not str:")
        emit(f"            {slow}")
        emit("        else:")
        emit("            n += 1")
        emit("            if raw != ARM_TYPE:")
        emit("                wire['type'] = raw")
        emit("        props = data.get('properties')")
        emit("        if type(props) is not dict:")
        emit(f"            {slow}")
        emit("        n += 1")
        emit("        m = 0")
        offset = len(spec.top)
        for j, f in enumerate(spec.props):
            field_code(offset + j, f, "props", "m", "        ")
        env["PROP_KEYS"] = frozenset(f.key for f in spec.props)
        emit("        if m != len(props):")
        emit("            extra = {k: v for k, v in props.items() if k not in PROP_KEYS}")
        emit("            check_json(extra, 'properties')")
        emit("            if reading is not None and reading.az:")
        emit("                extra = without_az_resource_groups(extra)")
        emit(f"            {local['extra_properties']} = freeze_json(extra, checked=True)")
    env["TOP_KEYS"] = frozenset(top_keys)
    emit("        if n != len(data):")
    emit("            extra = {k: v for k, v in data.items() if k not in TOP_KEYS}")
    emit("            if (")
    emit("                reading is not None")
    emit("                and reading.az")
    emit("                and extra.get('resourceGroup', MISSING) == az_resource_group(data)")
    emit("            ):")
    emit("                del extra['resourceGroup']")
    emit("            if extra:")
    emit("                check_json(extra)")
    emit("                if reading is not None and reading.az:")
    emit("                    extra = without_az_resource_groups(extra)")
    emit(f"                {local['extra']} = freeze_json(extra, checked=True)")
    emit("        if wire:")
    emit(f"            {local['_wire']} = wire")
    _construction(spec, local, env, emit)
    emit("    except InvalidFieldError:")
    emit(f"        {slow}")
    if spec.is_resource:
        emit("    name = data.get('name')")
        emit("    if name is not None and name != made.id.name and (")
        emit("        name.lower() != made.id.name.lower()")
        emit("    ):")
        emit(f"        {slow}")
    elif shared:
        emit("    if ikey is not None:")
        emit("        reading.interner.share(ikey, made)")
    emit("    return made")
    source = "\n".join(body)
    name = f"<imagegallery reader of {cls.__qualname__}>"
    exec(compile(source, name, "exec"), env)
    read: Callable[[Any, Reading | None], Any] = env["read"]
    return read


_KEEPS: Final[dict[Any, tuple[type, ...]]] = {
    frozen_map: (FrozenDict, StringMap),
    optional_frozen_map: (FrozenDict, StringMap),
    optional_tuple: (tuple,),
    to_resource_id: (ResourceId,),
    optional_datetime: (datetime,),
}
"""Converters that return a value the field's codec produced unchanged (the codecs' resource
ids, aware date-times, frozen mappings and tuples): the compiled constructor skips them."""


def _construction(
    spec: _ClassSpec, local: Mapping[str, str], env: dict[str, Any], emit: Callable[[str], None]
) -> None:
    """Emit the code that builds ``spec.cls`` from the locals the reader filled (``MISSING``
    where the input had no value): what the class's attrs ``__init__`` does, in the same order,
    without the converters and validators the codecs make redundant (see :func:`_compile`).

    Classes with a feature this does not model (a pre-init hook, fields outside ``__init__``,
    converters that take the instance) are built by calling the class instead.
    """
    cls = spec.cls
    fields = attrs.fields(cls)
    made_by: dict[str, Codec | None] = {s.attr: s.codec for s in spec.top + spec.props}
    for name in ("extra", "extra_properties"):
        made_by[name] = _FROZEN  # what the reader builds for the unmodelled keys
    plain = not hasattr(cls, "__attrs_pre_init__") and all(
        a.init and not isinstance(a.converter, attrs.Converter) for a in fields
    )
    if not plain:
        names = ", ".join(f"{(a.alias or a.name)!r}: {local[a.name]}" for a in fields)
        emit(f"        kw = {{{names}}}")
        emit("        made = cls(**{k: v for k, v in kw.items() if v is not MISSING})")
        return
    emit("        made = new(cls)")
    emit("        setattr_ = object_setattr")
    env["new"] = object.__new__
    env["object_setattr"] = object.__setattr__
    checks: list[tuple[int, Any]] = []
    for i, a in enumerate(fields):
        var = local[a.name]
        codec = made_by.get(a.name)
        default = a.default
        factory = isinstance(default, attrs.Factory)  # type: ignore[arg-type]
        emit(f"        if {var} is MISSING:")
        if default is attrs.NOTHING:
            emit(f"            {var} = cls(**{{}})  # a required field without a value: raises")
        elif factory:
            env[f"F{i}"] = default.factory
            call = f"F{i}(made)" if default.takes_self else f"F{i}()"
            emit(f"            {var} = {call}")
            if a.converter is not None:
                env[f"V{i}"] = a.converter
                emit(f"            {var} = V{i}({var})")
        else:
            env[f"E{i}"] = a.converter(default) if a.converter is not None else default
            emit(f"            {var} = E{i}")
        if a.converter is not None and not _keeps(a.converter, codec):
            env[f"V{i}"] = a.converter
            emit("        else:")
            emit(f"            {var} = V{i}({var})")
        emit(f"        setattr_(made, {a.name!r}, {var})")
        validators = getattr(a.validator, "_validators", None) or (
            () if a.validator is None else (a.validator,)
        )
        env[f"A{i}"] = a
        for k, check in enumerate(validators):
            if not _implied(check, codec, a, default):
                env[f"K{i}_{k}"] = check
                checks.append((i, f"K{i}_{k}"))
    for i, name in checks:  # input is always validated (attrs' global switch is not asked)
        emit(f"        {name}(made, A{i}, {local[fields[i].name]})")
    if hasattr(cls, "__attrs_post_init__"):
        emit("        made.__attrs_post_init__()")
    if "_attrs_cached_hash" in getattr(cls, "__slots__", ()):
        emit("        setattr_(made, '_attrs_cached_hash', None)")


class _Frozen(Codec):
    """Stands for how the compiled reader builds ``extra`` and ``extra_properties``."""

    produces = (FrozenDict,)


_FROZEN: Final = _Frozen()


def _keeps(converter: Any, codec: Codec | None) -> bool:
    """Whether ``converter`` returns every value ``codec`` produces unchanged."""
    if codec is None:
        return False
    if codec is REGION and converter in (region, optional_region):
        return True  # the codec's names are normalized already
    keeps = _KEEPS.get(converter)
    if keeps is not None:
        return set(codec.produces) <= set(keeps)
    (kind, *more) = codec.produces
    if more or not issubclass(kind, enum.Enum):
        return False
    # An enum field's converter (the enum class, or attrs' optional() of it) gives every
    # member back as it is, as Enum() does for its own members: checked here for each member.
    try:
        return all(converter(member) is member for member in kind)
    except Exception:  # any failure means: keep calling the converter
        return False


def _implied(check: Any, codec: Codec | None, attribute: Any, default: Any) -> bool:
    """Whether the validator ``check`` passes for every value the field can hold in a compiled
    reading: any value ``codec`` produces, and the field's default."""
    marked = getattr(check, "type_check", None)
    if marked is None or codec is None:
        return False
    types, items = marked
    produced = codec.produces
    if items:
        item = getattr(codec, "item", None)
        if item is None:
            return False
        produced = item.produces
    if not set(produced) <= set(types):
        return False
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return False
    value = attribute.converter(default) if attribute.converter is not None else default
    try:
        check(None, attribute, value)
    except InvalidFieldError:
        return False
    return True


def _compile_writer(spec: _ClassSpec) -> Callable[[Any], dict[str, Any]]:
    """A writer specialised for ``spec.cls``: :func:`unstructure`, compiled like the readers.

    Fields are written inline (scalars as they are, enums by value, nested objects by their own
    compiled writers); an object that carries ``_wire`` memos has each field written by
    :func:`_write_field`, the one rule for original spellings. The tests check that both
    writers give the same JSON.
    """
    cls = spec.cls
    env: dict[str, Any] = {
        "MISSING": _MISSING,
        "ABSENT": ABSENT,
        "EMPTY": EMPTY,
        "thaw_json": thaw_json,
        "write_field": _write_field,
        "ARM_TYPE": getattr(cls, "ARM_TYPE", None),
    }
    body: list[str] = []
    emit = body.append

    def fields_code(fields: tuple[_FieldSpec, ...], out: str, offset: int) -> None:
        for j, f in enumerate(fields):
            i = offset + j
            codec = f.codec
            env[f"S{i}"] = f
            env[f"C{i}"] = codec
            emit(f"    v = obj.{f.attr}")
            emit(f"    if wire and {f.path!r} in wire:")
            emit(f"        write_field(S{i}, v, wire, {out})")
            emit("    elif v is not None:")
            item = getattr(codec, "item", None)
            if codec is STR or codec is INT or codec is BOOL:
                value = "v"
            elif isinstance(codec, ObjectCodec):
                env[f"W{i}"] = codec.write
                value = f"W{i}(v)"
            elif isinstance(item, ObjectCodec):
                env[f"W{i}"] = item.write
                value = f"[W{i}(x) for x in v]"
            elif issubclass(codec.produces[0], enum.Enum) and not isinstance(codec, ObjectCodec):
                value = "v._value_"
            else:
                value = f"C{i}.dump(v)"
            emit(f"        {out}[{f.key!r}] = {value}")

    emit("def write(obj):")
    emit("    wire = obj._wire")
    emit("    if wire is EMPTY:")
    emit("        wire = None")
    emit("    out = {}")
    fields_code(spec.top, "out", 0)
    emit("    extra = obj.extra")
    emit("    if extra is not EMPTY:")
    emit("        for key, value in extra.items():")
    emit("            out[key] = thaw_json(value)")
    if spec.is_resource:
        emit("    rid = obj.id")
        emit("    name_memo = wire.get('name', MISSING) if wire else MISSING")
        emit("    if type(name_memo) is str and name_memo.lower() == rid.name.lower():")
        emit("        out['name'] = name_memo")
        emit("    elif name_memo is not ABSENT:")
        emit("        out['name'] = rid.name")
        emit("    type_memo = wire.get('type', MISSING) if wire else MISSING")
        emit("    if type_memo is MISSING:")
        emit("        out['type'] = ARM_TYPE")
        emit("    elif type_memo is not ABSENT:")
        emit("        out['type'] = type_memo")
        emit("    props = {}")
        fields_code(spec.props, "props", len(spec.top))
        emit("    extra = obj.extra_properties")
        emit("    if extra is not EMPTY:")
        emit("        for key, value in extra.items():")
        emit("            props[key] = thaw_json(value)")
        emit("    memo = wire.get('properties', MISSING) if wire else MISSING")
        emit("    if props or memo is MISSING:")
        emit("        out['properties'] = props")
        emit("    elif memo is None:")
        emit("        out['properties'] = None")
    emit("    return out")
    source = "\n".join(body)
    exec(compile(source, f"<imagegallery writer of {cls.__qualname__}>", "exec"), env)
    write: Callable[[Any], dict[str, Any]] = env["write"]
    return write


def _relocate(err: InvalidFieldError, spec: _ClassSpec) -> InvalidFieldError:
    """Translate attribute names in ``err.field`` into the ARM path of those attributes."""
    err = err.at("")
    err.field = _arm_path(err.field or "", spec)
    err.args = (str(err),)
    return err


def _arm_path(field: str, spec: _ClassSpec) -> str:
    cut = min((i for i in (field.find("."), field.find("[")) if i >= 0), default=len(field))
    head, rest = field[:cut], field[cut:]
    fspec = spec.by_attr.get(head)
    if fspec is None:
        return field
    codec = fspec.codec
    if rest.startswith(".") and isinstance(codec, ObjectCodec):
        return f"{fspec.path}.{_arm_path(rest[1:], codec.spec)}"
    return fspec.path + rest


# -- unstructure -------------------------------------------------------------------------------


def _write(
    fields: tuple[_FieldSpec, ...], obj_: Any, wire: Mapping[str, Any], out: dict[str, Any]
) -> None:
    for f in fields:
        _write_field(f, getattr(obj_, f.attr), wire, out)


def _write_field(f: _FieldSpec, value: Any, wire: Mapping[str, Any], out: dict[str, Any]) -> None:
    """Write one field's ``value`` into ``out``: as the input spelled it when the ``wire`` memo
    has a spelling that still means ``value``, else as its codec writes it (nothing for
    ``None``)."""
    memo = wire.get(f.path, _MISSING) if wire else _MISSING
    if memo is not _MISSING:
        implied = value is None or (
            f.absent_default is not _NO_DEFAULT and value == f.absent_default
        )
        if memo is ABSENT:
            if implied:
                return
        elif memo is None:
            if implied:
                out[f.key] = None
                return
        elif value is not None and f.codec.same(memo, value):
            out[f.key] = memo
            return
    if value is not None:
        out[f.key] = f.codec.dump(value)


def unstructure(spec: _ClassSpec, obj_: Any) -> dict[str, Any]:
    """Write an entity back as a JSON object (the inverse of :func:`structure`)."""
    wire: Mapping[str, Any] = obj_._wire
    out: dict[str, Any] = {}
    _write(spec.top, obj_, wire, out)
    if obj_.extra:
        for key, value in obj_.extra.items():
            out[key] = thaw_json(value)
    if spec.is_resource:
        name_memo = wire.get("name", _MISSING) if wire else _MISSING
        rid = obj_.id
        if type(name_memo) is str and name_memo.lower() == rid.name.lower():
            out["name"] = name_memo
        elif name_memo is not ABSENT:
            out["name"] = rid.name
        type_memo = wire.get("type", _MISSING) if wire else _MISSING
        if type_memo is _MISSING:
            out["type"] = spec.cls.ARM_TYPE  # type: ignore[attr-defined]
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
