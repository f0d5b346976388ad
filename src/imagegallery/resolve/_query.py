"""The arguments of a resolution, checked once, and the eligibility rules in words.

:func:`make_query` turns the keyword arguments of :func:`~imagegallery.resolve.resolve_latest`
and its siblings into a :class:`Query` (raising the library's errors for bad input).
:func:`reasons_against` is the readable statement of the rules: for one version it lists every
reason the version is not eligible. The fast resolvers in :mod:`imagegallery.resolve._index`
apply the same rules to precomputed data; tests check that both agree with an independent oracle.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Final, Literal

import attrs
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationState
from imagegallery.errors import (
    InvalidFieldError,
    InvalidSpecifierError,
    InvalidTypeError,
    NaiveDatetimeError,
)
from imagegallery.regions import normalize_region
from imagegallery.version import ImageVersion
from imagegallery.version_name import ImageVersionName

__all__ = [
    "EndOfLifePolicy",
    "Query",
    "Reason",
    "ReasonKind",
    "format_datetime",
    "make_query",
    "notes_for",
    "pep440",
    "reasons_against",
    "target_region_names",
    "to_microseconds",
]

EndOfLifePolicy = Literal["skip", "allow"]
"""``"skip"``: versions at or past their end of life are not eligible; ``"allow"``: they are."""

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)


class ReasonKind(enum.Enum):
    """Why a version is not eligible, as a stable code (for filtering records).

    Example:
        >>> ReasonKind("not-replicated").name
        'NOT_REPLICATED'
    """

    CONSTRAINT = "constraint"
    """The version does not satisfy the ``spec`` constraint."""
    NOT_IN_REGION = "not-in-region"
    """The region is not one of the version's target regions."""
    EXCLUDED = "excluded"
    """The effective exclude-from-latest flag is true."""
    NOT_REPLICATED = "not-replicated"
    """Replication to the region is reported and is not ``Completed``."""
    END_OF_LIFE = "end-of-life"
    """The version's end-of-life date is at or before ``at`` (policy ``"skip"``)."""
    DEFINITION_END_OF_LIFE = "definition-end-of-life"
    """The image definition's end-of-life date is at or before ``at`` (policy ``"skip"``)."""


@attrs.frozen
class Reason:
    """One reason a version is not eligible.

    Attributes:
        kind: The rule that rejected the version.
        text: The reason in words.

    Example:
        >>> str(Reason(ReasonKind.EXCLUDED, "excluded from latest in eastus (regional flag)"))
        'excluded from latest in eastus (regional flag)'
    """

    kind: ReasonKind
    text: str

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Query:
    """Checked arguments of a resolution.

    Attributes:
        region: The region in ARM form, or ``None`` for "in at least one region".
        at: The moment of the question (timezone-aware).
        at_us: ``at`` in microseconds since the Unix epoch (exact, for fast comparisons).
        spec: The version constraint, or ``None``.
        end_of_life: The end-of-life policy.
        require_replicated: Whether replication to the region must have completed.
    """

    region: str | None
    at: datetime
    at_us: int
    spec: SpecifierSet | None
    end_of_life: EndOfLifePolicy
    require_replicated: bool

    @property
    def skip_end_of_life(self) -> bool:
        """Whether versions past their end of life are rejected."""
        return self.end_of_life == "skip"


def to_microseconds(moment: datetime) -> int:
    """An aware datetime as exact integer microseconds since the Unix epoch.

    Example:
        >>> to_microseconds(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
        1000000
    """
    return (moment - _EPOCH) // _MICROSECOND


def format_datetime(moment: datetime) -> str:
    """A compact ISO 8601 text: the date alone for midnight UTC, else the full date-time.

    Example:
        >>> format_datetime(datetime(2025, 6, 30, tzinfo=UTC))
        '2025-06-30'
        >>> format_datetime(datetime(2025, 6, 30, 12, 30, tzinfo=UTC))
        '2025-06-30T12:30:00+00:00'
    """
    if moment.utcoffset() == timedelta(0) and moment.time() == datetime.min.time():
        return moment.date().isoformat()
    return moment.isoformat()


@lru_cache(maxsize=256)
def _parse_spec(text: str) -> SpecifierSet:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        raise InvalidSpecifierError(
            "not a version constraint; use specifiers such as '>=1.2,<2' or '~=1.4.0'",
            field="spec",
            value=text,
        ) from None


def _check_at(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if not isinstance(at, datetime):
        raise InvalidTypeError("expected a timezone-aware datetime", field="at", value=at)
    if at.tzinfo is None or at.utcoffset() is None:
        raise NaiveDatetimeError(
            "must be timezone-aware (for example datetime.now(UTC)); the library never guesses",
            field="at",
            value=at,
        )
    return at


def make_query(
    *,
    region: str | None,
    at: datetime | None,
    spec: SpecifierSet | str | None,
    end_of_life: EndOfLifePolicy,
    require_replicated: bool,
) -> Query:
    """Check the arguments of a resolution.

    Raises:
        InvalidRegionError: ``region`` is not a region name.
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidTypeError: ``at``, ``spec`` or ``require_replicated`` has the wrong type.
        InvalidSpecifierError: ``spec`` is not a specifier set.
        InvalidFieldError: ``end_of_life`` is not ``"skip"`` or ``"allow"``.

    Example:
        >>> q = make_query(region="East US", at=None, spec=">=1.2,<2", end_of_life="skip",
        ...                require_replicated=True)
        >>> q.region, str(q.spec), q.skip_end_of_life
        ('eastus', '<2,>=1.2', True)
    """
    name = None if region is None else normalize_region(region)
    moment = _check_at(at)
    if spec is None or isinstance(spec, SpecifierSet):
        parsed = spec
    elif isinstance(spec, str):
        parsed = _parse_spec(spec)
    else:
        raise InvalidTypeError(
            "expected a packaging SpecifierSet or its text", field="spec", value=spec
        )
    if end_of_life not in ("skip", "allow"):
        raise InvalidFieldError("must be 'skip' or 'allow'", field="end_of_life", value=end_of_life)
    if type(require_replicated) is not bool:
        raise InvalidTypeError(
            "expected True or False", field="require_replicated", value=require_replicated
        )
    return Query(name, moment, to_microseconds(moment), parsed, end_of_life, require_replicated)


def pep440(name: ImageVersionName) -> Version:
    """The version name as a PEP 440 :class:`~packaging.version.Version`, for constraints.

    Example:
        >>> pep440(ImageVersionName.parse("01.0.10"))
        <Version('1.0.10')>
    """
    return Version(f"{name.major}.{name.minor}.{name.patch}")


def target_region_names(version: ImageVersion) -> tuple[str, ...]:
    """The regions a version is replicated to: its target regions, else its source region.

    A version whose input lists no target regions still exists in its source region, which is
    where Azure creates it.

    Example:
        >>> from imagegallery import sample_inventory
        >>> v = next(sample_inventory().versions())
        >>> target_region_names(v)
        ('westeurope', 'northeurope')
    """
    return version.region_names or (version.location,)


def _regional_failures(version: ImageVersion, region: str, query: Query) -> list[Reason]:
    out: list[Reason] = []
    if version.excluded_from_latest_in(region):
        entry = version.publishing_profile.target_region(region)
        flag = (
            "regional" if entry is not None and entry.exclude_from_latest is not None else "version"
        )
        out.append(Reason(ReasonKind.EXCLUDED, f"excluded from latest in {region} ({flag} flag)"))
    if query.require_replicated:
        state = version.replication_state_in(region)
        if state is not None and state is not ReplicationState.COMPLETED:
            out.append(
                Reason(ReasonKind.NOT_REPLICATED, f"replication to {region} is {state.value}")
            )
    return out


def _anywhere_failures(version: ImageVersion, query: Query) -> list[Reason]:
    by_kind: dict[ReasonKind, list[str]] = {}
    for region in target_region_names(version):
        failures = _regional_failures(version, region, query)
        if not failures:
            return []
        for failure in failures:
            by_kind.setdefault(failure.kind, []).append(failure.text)
    return [Reason(kind, "; ".join(texts)) for kind, texts in by_kind.items()]


def reasons_against(
    version: ImageVersion, definition: ImageDefinition, query: Query
) -> list[Reason]:
    """Every reason ``version`` is not eligible for ``query`` (empty when it is eligible).

    The rules, in the order they are reported:

    * ``spec``: the version (as ``major.minor.patch``) must satisfy the constraint;
    * with a region: the region must be a target region; there, the effective exclude flag
      (the regional flag when set, else the version flag) must be false, and, when replication
      is required, the replication state reported for the region must be ``Completed`` (a version
      without replication status counts as replicated);
    * without a region: the above must hold in at least one target region;
    * with the ``"skip"`` policy: neither the definition's nor the version's end-of-life date may
      be at or before ``at``.

    Example:
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> image1 = next(inv.definitions())
        >>> q = make_query(region="eastus", at=datetime(2025, 1, 1, tzinfo=UTC), spec=None,
        ...                end_of_life="skip", require_replicated=True)
        >>> [str(r) for r in reasons_against(image1.versions["1.0.10"], image1, q)]
        ['replication to eastus is Replicating']
    """
    reasons: list[Reason] = []
    spec = query.spec
    if spec is not None and not spec.contains(pep440(version.name)):
        reasons.append(
            Reason(ReasonKind.CONSTRAINT, f"{version.name} does not satisfy {str(spec)!r}")
        )
    region = query.region
    if region is None:
        reasons.extend(_anywhere_failures(version, query))
    elif region not in target_region_names(version):
        targets = ", ".join(target_region_names(version))
        reasons.append(
            Reason(ReasonKind.NOT_IN_REGION, f"not replicated to {region} (regions: {targets})")
        )
    else:
        reasons.extend(_regional_failures(version, region, query))
    if query.skip_end_of_life:
        at = query.at
        def_eol = definition.end_of_life_date
        if def_eol is not None and def_eol <= at:
            reasons.append(
                Reason(
                    ReasonKind.DEFINITION_END_OF_LIFE,
                    f"image definition end of life {format_datetime(def_eol)}",
                )
            )
        eol = version.end_of_life_date
        if eol is not None and eol <= at:
            reasons.append(Reason(ReasonKind.END_OF_LIFE, f"end of life {format_datetime(eol)}"))
    return reasons


def notes_for(version: ImageVersion, query: Query) -> tuple[str, ...]:
    """Remarks on an eligible version: regional flags that override its version-level flag.

    Example:
        >>> from imagegallery import sample_inventory
        >>> image1 = next(sample_inventory().definitions())
        >>> q = make_query(region="northeurope", at=None, spec=None, end_of_life="skip",
        ...                require_replicated=True)
        >>> notes_for(image1.versions["1.1.0"], q)
        ('version-level exclude flag overridden by the regional flag in northeurope',)
    """
    if not version.exclude_from_latest:
        return ()
    regions = (query.region,) if query.region is not None else target_region_names(version)
    overriding = [
        region
        for region in regions
        if (entry := version.publishing_profile.target_region(region)) is not None
        and entry.exclude_from_latest is False
    ]
    if not overriding:
        return ()
    return (
        f"version-level exclude flag overridden by the regional flag in {', '.join(overriding)}",
    )
