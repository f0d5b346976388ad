"""Which version "latest" gives, why, and in which regions: where resolution's rules are decided.

The rules (see :doc:`/resolve` for where they come from), stated once in words by
:func:`reasons_against` and applied fast, to precomputed data, by the package's index
(``imagegallery.resolve._index``); tests check both against an independent oracle:

* order is numeric: major, then minor, then patch (``1.0.10`` > ``1.0.9``); never string order or
  publish date;
* a version is out when its effective exclude-from-latest flag is true: the target region's flag
  when set, otherwise the version-level flag;
* with ``region``, only versions that target the region count, and with ``require_replicated``
  only those whose replication state there is ``Completed`` (a version without replication status
  counts as replicated: Azure reports it only when asked to expand it); without ``region``, a
  version counts when it would count in at least one of its target regions;
* with ``end_of_life="skip"`` (the default, following the product documents: no VM can be created
  from a version after its end-of-life date) a version whose end-of-life date is at or before
  ``at`` is out, and so are all versions of a definition past its own end of life;
  ``end_of_life="allow"`` treats the dates as informational, as the Azure service does today;
* ``spec`` (a :class:`~packaging.specifiers.SpecifierSet` or its text) narrows the candidates.

The questions asked of these rules:

* :func:`resolve_latest`: the highest eligible version (Azure's "latest");
* :func:`explain_latest`: every candidate with its verdict and reasons;
* :func:`resolve_recent`: the most recently published eligible version (Terraform's ``recent``;
  **not** what Azure deploys: a hotfix ``1.0.9`` published after ``2.0.0`` is "recent" but never
  "latest"). The candidates are the same; only the order differs: by ``published_date``, newest
  first, versions without a published date last, equal dates broken by the higher version number;
* :func:`latest_by_region`: what "latest" gives in each region (:func:`definition_regions`) of
  each definition of a definition, gallery or inventory.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.resolve import resolve_latest
    >>> image1 = next(sample_inventory().definitions())
    >>> at = datetime(2025, 3, 1, tzinfo=UTC)
    >>> str(resolve_latest(image1, region="westeurope", at=at).name)
    '1.0.10'
    >>> str(resolve_latest(image1, region="eastus", at=at).name)
    '1.0.9'
    >>> str(resolve_latest(image1, region="northeurope", at=at).name)
    '1.1.0'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple

import attrs
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationState
from imagegallery.errors import (
    InvalidFieldError,
    InvalidSpecifierError,
    InvalidTypeError,
    NoEligibleVersionError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.regions import normalize_region
from imagegallery.speed import paused_gc
from imagegallery.tables import column_dataframe, column_lists, column_records, html_table
from imagegallery.timestamps import moment as checked_moment
from imagegallery.version import ImageVersion
from imagegallery.version_name import ImageVersionName

from ._index import IdentityMemo, index_of, pep440, to_microseconds

if TYPE_CHECKING:
    import pandas

__all__ = [
    "MAX_SPEC_DIGITS",
    "MAX_SPEC_LENGTH",
    "Candidate",
    "EndOfLifePolicy",
    "Reason",
    "ReasonKind",
    "Resolution",
    "Verdict",
    "definition_regions",
    "explain_latest",
    "latest_by_region",
    "latest_without",
    "resolve_latest",
    "resolve_recent",
]

EndOfLifePolicy = Literal["skip", "allow"]
"""``"skip"``: versions at or past their end of life are not eligible; ``"allow"``: they are."""

_SHOWN_IN_MESSAGE: Final = 5
MAX_SPEC_LENGTH: Final = 1000
"""The longest version constraint text accepted (characters)."""
MAX_SPEC_DIGITS: Final = 20
"""The most digits of one number in a version constraint (version parts have at most 10)."""
_LONG_NUMBER: Final = re.compile(rf"[0-9]{{{MAX_SPEC_DIGITS + 1}}}")


# -- the question ------------------------------------------------------------------------------


class Query(NamedTuple):
    """Checked arguments of a resolution (built by :func:`make_query`; a light tuple, since every
    question builds one).

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


def format_datetime(moment: datetime) -> str:
    """A compact ISO 8601 text: the date alone for midnight UTC, else the full date-time.

    Example:
        >>> from datetime import UTC
        >>> format_datetime(datetime(2025, 6, 30, tzinfo=UTC))
        '2025-06-30'
        >>> format_datetime(datetime(2025, 6, 30, 12, 30, tzinfo=UTC))
        '2025-06-30T12:30:00+00:00'
    """
    if moment.utcoffset() == timedelta(0) and moment.time() == datetime.min.time():
        return moment.date().isoformat()
    return moment.isoformat()


def _check_spec(spec: object) -> SpecifierSet | None:
    if spec is None:
        return None
    if isinstance(spec, SpecifierSet):
        text = str(spec)
    elif isinstance(spec, str):
        text = spec
    else:
        raise InvalidTypeError(
            "expected a packaging SpecifierSet or its text", field="spec", value=spec
        )
    if len(text) > MAX_SPEC_LENGTH:
        raise InvalidSpecifierError(
            f"a version constraint has at most {MAX_SPEC_LENGTH:,} characters (got {len(text):,})",
            field="spec",
            value=spec,
        )
    if _LONG_NUMBER.search(text):
        raise InvalidSpecifierError(
            f"a number in a version constraint has at most {MAX_SPEC_DIGITS} digits",
            field="spec",
            value=spec,
        )
    if isinstance(spec, SpecifierSet):
        return spec
    try:
        return SpecifierSet(spec)
    except InvalidSpecifier:
        raise InvalidSpecifierError(
            "not a version constraint; use specifiers such as '>=1.2,<2' or '~=1.4.0'",
            field="spec",
            value=spec,
        ) from None


def region_argument(region: object, field: str = "region") -> str:
    """A region given as an argument, in ARM form; errors name the argument.

    Example:
        >>> region_argument("West Europe"), region_argument("eastus", "regions[0]")
        ('westeurope', 'eastus')
    """
    try:
        return normalize_region(region)  # type: ignore[arg-type]
    except InvalidFieldError as err:
        raise err.at(field) from None


def make_query(
    region: str | None,
    at: datetime | None,
    spec: SpecifierSet | str | None,
    end_of_life: EndOfLifePolicy,
    require_replicated: bool,
) -> Query:
    """Check the arguments of a resolution: the one place every entry point builds its query.

    Raises:
        InvalidRegionError: ``region`` is not a region name.
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidTypeError: ``at``, ``spec`` or ``require_replicated`` has the wrong type.
        InvalidSpecifierError: ``spec`` is not a specifier set.
        InvalidFieldError: ``end_of_life`` is not ``"skip"`` or ``"allow"``.

    Example:
        >>> q = make_query("East US", None, ">=1.2,<2", "skip", True)
        >>> q.region, str(q.spec), q.skip_end_of_life
        ('eastus', '<2,>=1.2', True)
    """
    name = None if region is None else region_argument(region)
    moment = checked_moment(at)
    parsed = _check_spec(spec)
    if end_of_life not in ("skip", "allow"):
        raise InvalidFieldError("must be 'skip' or 'allow'", field="end_of_life", value=end_of_life)
    if type(require_replicated) is not bool:
        raise InvalidTypeError(
            "expected True or False", field="require_replicated", value=require_replicated
        )
    return Query(name, moment, to_microseconds(moment), parsed, end_of_life, require_replicated)


def _clip(text: str, most: int = 80) -> str:
    """``text`` for a message: cut to ``most`` characters."""
    return text if len(text) <= most else text[: most - 3] + "..."


def _check_definition(definition: object) -> ImageDefinition:
    if not isinstance(definition, ImageDefinition):
        raise InvalidTypeError(
            "expected an ImageDefinition (look it up with inventory[definition_id])",
            field="definition",
            value=definition,
        )
    return definition


def _describe(query: Query) -> str:
    where = f"in {query.region}" if query.region else "in any region"
    parts = [where, f"at {format_datetime(query.at)}"]
    if query.spec is not None:
        parts.append(f"matching {_clip(str(query.spec))!r}")
    if query.end_of_life == "allow":
        parts.append("end of life allowed")
    if not query.require_replicated:
        parts.append("replication not required")
    return " ".join(parts)


# -- the rules in words ------------------------------------------------------------------------


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


def definition_regions(definition: ImageDefinition) -> list[str]:
    """The regions of a definition: the union of its versions' target regions, sorted.

    A version that lists no target regions counts in its source region.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.resolve import definition_regions
        >>> definition_regions(next(sample_inventory().definitions()))
        ['eastus', 'northeurope', 'swedencentral', 'westeurope']
    """
    return list(index_of(_check_definition(definition)).regions)


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
        >>> from datetime import UTC
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> image1 = next(inv.definitions())
        >>> q = make_query("eastus", datetime(2025, 1, 1, tzinfo=UTC), None, "skip", True)
        >>> [str(r) for r in reasons_against(image1.versions["1.0.10"], image1, q)]
        ['replication to eastus is Replicating']
    """
    reasons: list[Reason] = []
    spec = query.spec
    if spec is not None and not spec.contains(pep440(version.name)):
        reasons.append(
            Reason(ReasonKind.CONSTRAINT, f"{version.name} does not satisfy {_clip(str(spec))!r}")
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
        >>> q = make_query("northeurope", None, None, "skip", True)
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


def _first_eligible(
    definition: ImageDefinition, query: Query, *, recent: bool = False
) -> ImageVersion | None:
    """The rules applied fast, through the index: the highest (or most recent) eligible version."""
    if query.end_of_life == "skip":
        eol = definition.end_of_life_date
        if eol is not None and eol <= query.at:
            return None
        alive_after: int | None = query.at_us
    else:
        alive_after = None
    return index_of(definition).first(
        query.region, query.require_replicated, alive_after, query.spec, recent
    )


# -- the answer --------------------------------------------------------------------------------


class Verdict(enum.Enum):
    """What the resolver made of one candidate.

    Example:
        >>> Verdict("rejected") is Verdict.REJECTED
        True
    """

    CHOSEN = "chosen"
    """The answer: the highest eligible version."""
    ELIGIBLE = "eligible"
    """Eligible, but lower than the answer."""
    REJECTED = "rejected"
    """Not eligible; the candidate's ``reasons`` say why."""


@attrs.frozen
class Candidate:
    """One version as the resolver saw it.

    Attributes:
        version: The image version.
        verdict: Chosen, eligible (but lower) or rejected.
        reasons: Why it was rejected (empty unless rejected).
        notes: Remarks on an eligible version (a regional flag that overrides the version-level
            exclude flag).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> image1 = next(sample_inventory().definitions())
        >>> at = datetime(2025, 3, 1, tzinfo=UTC)
        >>> [str(c) for c in explain_latest(image1, region="eastus", at=at).candidates][1:3]
        ['1.0.10 rejected: replication to eastus is Replicating', '1.0.9 chosen']
    """

    version: ImageVersion
    verdict: Verdict
    reasons: tuple[Reason, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> ImageVersionName:
        """The version name."""
        return self.version.name

    @property
    def remarks(self) -> str:
        """The reasons (rejected) or notes (eligible), as one text."""
        return "; ".join([*(str(r) for r in self.reasons), *self.notes])

    def __str__(self) -> str:
        why = self.remarks
        return f"{self.name} {self.verdict.value}" + (f": {why}" if why else "")


class Resolution:
    """The answer of :func:`explain_latest` with every candidate and its verdict.

    ``candidates`` are in resolution order: highest version number first. ``str()`` gives a
    table for a terminal; :meth:`to_records` rows for a data frame; notebooks render
    :meth:`_repr_html_`.

    A resolution is immutable, compares equal to another with the same four attributes, and
    hashes accordingly. One returned by :func:`explain_latest` builds its :class:`Candidate`
    objects the first time ``candidates`` (or anything that reads them) is asked for, from the
    definition's kept reason table (see :mod:`imagegallery._speed`); the values are the same
    either way.

    Attributes:
        definition_id: The image definition asked about.
        query: The checked arguments (region, moment, constraint, policies).
        chosen: The answer, or ``None`` when nothing is eligible.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> image1 = next(sample_inventory().definitions())
        >>> resolution = explain_latest(image1, region="swedencentral",
        ...                             at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> resolution.chosen is None, resolution.region, len(resolution.candidates)
        (True, 'swedencentral', 4)
        >>> type(resolution.error()).__name__
        'NoEligibleVersionError'
    """

    __slots__ = ("_candidates", "_pending", "chosen", "definition_id", "query")
    __match_args__ = ("definition_id", "query", "chosen", "candidates")

    definition_id: ResourceId
    query: Query
    chosen: ImageVersion | None
    _candidates: tuple[Candidate, ...] | None
    _pending: _Judge | None

    def __init__(
        self,
        definition_id: ResourceId,
        query: Query,
        chosen: ImageVersion | None,
        candidates: tuple[Candidate, ...],
    ) -> None:
        _set = object.__setattr__
        _set(self, "definition_id", definition_id)
        _set(self, "query", query)
        _set(self, "chosen", chosen)
        _set(self, "_candidates", candidates)
        _set(self, "_pending", None)

    @classmethod
    def _deferred(
        cls,
        definition_id: ResourceId,
        query: Query,
        chosen: ImageVersion | None,
        pending: _Judge,
    ) -> Resolution:
        """A resolution whose candidates ``pending`` builds when they are first read."""
        made = cls.__new__(cls)
        _set = object.__setattr__
        _set(made, "definition_id", definition_id)
        _set(made, "query", query)
        _set(made, "chosen", chosen)
        _set(made, "_candidates", None)
        _set(made, "_pending", pending)
        return made

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """Every version of the definition with its verdict and reasons, highest first."""
        found: tuple[Candidate, ...] | None = self._candidates
        if found is None:
            pending = self._pending
            assert pending is not None
            with paused_gc():  # one candidate per version, all acyclic: see imagegallery.speed
                found = pending.candidates()
            object.__setattr__(self, "_candidates", found)
            object.__setattr__(self, "_pending", None)
        return found

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def _key(self) -> tuple[Any, ...]:
        return (self.definition_id, self.query, self.chosen, self.candidates)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Resolution)
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((Resolution, *self._key()))

    def __repr__(self) -> str:
        return (
            f"Resolution(definition_id={self.definition_id!r}, query={self.query!r},"
            f" chosen={self.chosen!r}, candidates={self.candidates!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (Resolution, self._key())

    @property
    def region(self) -> str | None:
        """The region of the question (ARM form), or ``None``."""
        return self.query.region

    @property
    def at(self) -> datetime:
        """The moment of the question."""
        return self.query.at

    @property
    def spec(self) -> SpecifierSet | None:
        """The version constraint, or ``None``."""
        return self.query.spec

    @property
    def end_of_life(self) -> EndOfLifePolicy:
        """The end-of-life policy, ``"skip"`` or ``"allow"``."""
        return self.query.end_of_life

    @property
    def require_replicated(self) -> bool:
        """Whether replication to the region had to be complete."""
        return self.query.require_replicated

    def reasons(self) -> dict[str, tuple[str, ...]]:
        """Rejected version name → its reasons, in resolution order."""
        return {
            str(c.name): tuple(str(r) for r in c.reasons)
            for c in self.candidates
            if c.verdict is Verdict.REJECTED
        }

    def error(self) -> NoEligibleVersionError | None:
        """The error :func:`resolve_latest` raises for this question, or ``None`` if answered.

        The message follows Azure's: ``There is no latest image version exists for "<id>"``
        without a region, ``The gallery image <id> is not available in <region> region`` with
        one; the first few rejected versions and their reasons follow.
        """
        if self.chosen is not None:
            return None
        if self.query.region is None:
            head = f'There is no latest image version exists for "{self.definition_id}"'
        else:
            head = (
                f"The gallery image {self.definition_id} is not available in {self.query.region}"
                " region: it does not have any image versions that are included in latest and"
                " also in the indicated region"
            )
        return self._error(head)

    def _error(self, head: str) -> NoEligibleVersionError:
        """The error for an unanswered question: ``head``, the query, and the first reasons."""
        reasons = self.reasons()
        if not reasons:
            detail = "the image definition has no versions"
        else:
            shown = [
                f"{name}: {'; '.join(why)}"
                for name, why in list(reasons.items())[:_SHOWN_IN_MESSAGE]
            ]
            more = len(reasons) - len(shown)
            detail = " | ".join(shown) + (f" | and {more} more" if more else "")
        return NoEligibleVersionError(
            f"{head} ({_describe(self.query)}; {detail})",
            definition_id=self.definition_id,
            region=self.query.region,
            reasons=reasons,
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per candidate, ready for ``pandas.DataFrame``.

        Keys: ``definition_id``, ``region``, ``version``, ``verdict``, ``reasons`` (text),
        ``reason_kinds`` (codes, comma-separated), ``notes``, ``published_date``,
        ``end_of_life_date``.

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import sample_inventory
            >>> image1 = next(sample_inventory().definitions())
            >>> at = datetime(2025, 7, 1, tzinfo=UTC)
            >>> rows = explain_latest(image1, region="eastus", at=at).to_records()
            >>> [(r["version"], r["verdict"], r["reason_kinds"]) for r in rows]
            ... # doctest: +NORMALIZE_WHITESPACE
            [('1.1.0', 'rejected', 'not-in-region'), ('1.0.10', 'rejected', 'not-replicated'),
             ('1.0.9', 'chosen', ''), ('1.0.0', 'rejected', 'not-in-region,end-of-life')]
        """
        return column_records(_columns(self))

    def __str__(self) -> str:
        answer = str(self.chosen.name) if self.chosen is not None else "none"
        lines = [f"latest {self.definition_id.name} {_describe(self.query)}: {answer}"]
        width = max((len(str(c.name)) for c in self.candidates), default=0)
        for c in self.candidates:
            why = c.remarks
            lines.append(f"  {c.name!s:<{width}}  {c.verdict.value:<8}  {why}".rstrip())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return _resolution_html(self)

    def to_columns(self) -> dict[str, list[Any]]:
        """The candidates as columns: name → list (the keys of :meth:`to_records`).

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import sample_inventory
            >>> image1 = next(sample_inventory().definitions())
            >>> at = datetime(2025, 7, 1, tzinfo=UTC)
            >>> explain_latest(image1, region="eastus", at=at).to_columns()["verdict"]
            ['rejected', 'rejected', 'chosen', 'rejected']
        """
        return column_lists(_columns(self))

    def to_dataframe(self, *, exact: bool = False) -> pandas.DataFrame:
        """The candidates as a typed ``pandas.DataFrame`` (needs the ``pandas`` extra); see
        :func:`imagegallery.frames.to_dataframe`.

        Raises:
            MissingExtraError: pandas is not installed.
        """
        return column_dataframe(_columns(self), exact=exact)


class _ReasonTable:
    """The query-independent part of :func:`reasons_against` for every version of a definition,
    computed in one pass and kept with the definition (see :data:`_REASON_TABLES`).

    Attributes:
        versions: The versions, highest first (the index's order).
        names: Per position, :func:`target_region_names` of the version.
        regional: Per (region, require_replicated), position → the region's failures (the
            exclude flag, then the replication state), for failing positions only.
        anywhere: Per require_replicated, position → the failures "in no region" (grouped by
            kind as :func:`reasons_against` reports them), for failing positions only.
        end_of_life: Per position, the version's end-of-life date.
    """

    __slots__ = ("_eol_reasons", "anywhere", "end_of_life", "names", "regional", "versions")

    def __init__(self, definition: ImageDefinition) -> None:
        versions = index_of(definition).versions
        names_of: list[tuple[str, ...]] = []
        end_of_life: list[datetime | None] = []
        regional: dict[tuple[str, bool], dict[int, tuple[Reason, ...]]] = {}
        anywhere: dict[bool, dict[int, tuple[Reason, ...]]] = {True: {}, False: {}}
        for position, version in enumerate(versions):
            profile = version.publishing_profile
            end_of_life.append(profile.end_of_life_date)
            version_flag = profile.exclude_from_latest
            status = version.replication_status
            states: dict[str | None, ReplicationState | None] = {}
            if status is not None and status.summary:
                for entry in status.summary:
                    states.setdefault(entry.region, entry.state)
            targets = profile.target_regions
            flags: dict[str, bool | None] = {}
            if targets:
                for target in targets:
                    flags.setdefault(target.name, target.exclude_from_latest)
                names = tuple(flags)
                if len(names) != len(targets):  # repeated names are reported as often as given
                    names = tuple(target.name for target in targets)
            else:
                names = (version.location,)
            names_of.append(names)
            failing: dict[str, tuple[tuple[Reason, ...], tuple[Reason, ...]]] = {}
            for name in dict.fromkeys(names):
                regional_flag = flags.get(name)
                excluded = version_flag if regional_flag is None else regional_flag
                state = states.get(name)
                unreplicated = state is not None and state is not ReplicationState.COMPLETED
                if not excluded and not unreplicated:
                    continue
                loose: tuple[Reason, ...] = ()
                if excluded:
                    flag = "version" if regional_flag is None else "regional"
                    loose = (
                        Reason(
                            ReasonKind.EXCLUDED, f"excluded from latest in {name} ({flag} flag)"
                        ),
                    )
                strict = loose
                if unreplicated:
                    assert state is not None
                    strict = (
                        *loose,
                        Reason(
                            ReasonKind.NOT_REPLICATED, f"replication to {name} is {state.value}"
                        ),
                    )
                failing[name] = (strict, loose)
                if strict:
                    regional.setdefault((name, True), {})[position] = strict
                if loose:
                    regional.setdefault((name, False), {})[position] = loose
            if not failing:
                continue
            for require_replicated, column in ((True, 0), (False, 1)):
                by_kind: dict[ReasonKind, list[str]] = {}
                for name in names:
                    failures = failing.get(name, ((), ()))[column]
                    if not failures:
                        break
                    for failure in failures:
                        by_kind.setdefault(failure.kind, []).append(failure.text)
                else:
                    anywhere[require_replicated][position] = tuple(
                        Reason(kind, "; ".join(texts)) for kind, texts in by_kind.items()
                    )
        self.versions = versions
        self.names: tuple[tuple[str, ...], ...] = tuple(names_of)
        self.regional = regional
        self.anywhere = anywhere
        self.end_of_life: tuple[datetime | None, ...] = tuple(end_of_life)
        self._eol_reasons: dict[int, Reason] = {}

    def end_of_life_reason(self, position: int) -> Reason:
        """The end-of-life reason of the version at ``position`` (built once)."""
        found = self._eol_reasons.get(position)
        if found is None:
            eol = self.end_of_life[position]
            assert eol is not None
            found = Reason(ReasonKind.END_OF_LIFE, f"end of life {format_datetime(eol)}")
            self._eol_reasons[position] = found
        return found


def _reason_table(definition: ImageDefinition) -> _ReasonTable:
    with paused_gc():  # a few acyclic containers per version: see imagegallery.speed
        return _ReasonTable(definition)


_REASON_TABLES: Final[IdentityMemo[ImageDefinition, _ReasonTable]] = IdentityMemo(_reason_table)
"""The reason table of a definition, built on first use and kept while the definition lives
(weakly and by identity, like the index)."""


def explain(definition: ImageDefinition, query: Query) -> Resolution:
    """:func:`explain_latest` for checked arguments: the rules in words, version by version.

    Gives, for each version, what :func:`reasons_against` gives, reading the query-independent
    part from the definition's :class:`_ReasonTable`. The answer is found at once; the
    candidates are built when the resolution's ``candidates`` are first read.
    """
    judge = _Judge(_REASON_TABLES.get(definition), definition, query)
    return Resolution._deferred(definition.id, query, judge.chosen(), judge)


class _Judge:
    """The verdicts of one question on one definition, read from its reason table: the chosen
    version at once (:meth:`chosen`), every candidate on demand (:meth:`candidates`)."""

    __slots__ = ("definition_reason", "failing", "query", "table")

    def __init__(self, table: _ReasonTable, definition: ImageDefinition, query: Query) -> None:
        self.table = table
        self.query = query
        region = query.region
        if region is None:
            self.failing = table.anywhere[query.require_replicated]
        else:
            self.failing = table.regional.get((region, query.require_replicated), {})
        self.definition_reason: Reason | None = None
        def_eol = definition.end_of_life_date
        if query.skip_end_of_life and def_eol is not None and def_eol <= query.at:
            self.definition_reason = Reason(
                ReasonKind.DEFINITION_END_OF_LIFE,
                f"image definition end of life {format_datetime(def_eol)}",
            )

    def chosen(self) -> ImageVersion | None:
        """The first version without reasons against it (what :meth:`candidates` marks
        chosen), found without building any reason."""
        if self.definition_reason is not None:
            return None
        table = self.table
        query = self.query
        region = query.region
        spec = query.spec
        at = query.at
        skip = query.skip_end_of_life
        failing = self.failing
        names = table.names
        end_of_life = table.end_of_life
        for position, version in enumerate(table.versions):
            if region is not None and region not in names[position]:
                continue
            if failing.get(position):
                continue
            if skip:
                eol = end_of_life[position]
                if eol is not None and eol <= at:
                    continue
            if spec is not None and not spec.contains(pep440(version.name)):
                continue
            return version
        return None

    def judged(self) -> Iterator[tuple[ImageVersion, list[Reason]]]:
        """Each version, highest first, with every reason against it."""
        table = self.table
        query = self.query
        region = query.region
        spec = query.spec
        at = query.at
        skip = query.skip_end_of_life
        failing = self.failing
        definition_reason = self.definition_reason
        names = table.names
        end_of_life = table.end_of_life
        for position, version in enumerate(table.versions):
            reasons: list[Reason] = []
            if spec is not None and not spec.contains(pep440(version.name)):
                reasons.append(
                    Reason(
                        ReasonKind.CONSTRAINT,
                        f"{version.name} does not satisfy {_clip(str(spec))!r}",
                    )
                )
            if region is not None and region not in names[position]:
                targets = ", ".join(names[position])
                reasons.append(
                    Reason(
                        ReasonKind.NOT_IN_REGION, f"not replicated to {region} (regions: {targets})"
                    )
                )
            else:
                failures = failing.get(position)
                if failures:
                    reasons.extend(failures)
            if skip:
                if definition_reason is not None:
                    reasons.append(definition_reason)
                eol = end_of_life[position]
                if eol is not None and eol <= at:
                    reasons.append(table.end_of_life_reason(position))
            yield version, reasons

    def candidates(self) -> tuple[Candidate, ...]:
        """Every candidate with its verdict, reasons and notes."""
        return _candidates(self.query, self.judged())[1]


def _explain_by_rules(definition: ImageDefinition, query: Query) -> Resolution:
    """:func:`explain` straight from :func:`reasons_against`, version by version (what the
    reason table must reproduce; kept for the tests)."""
    versions = reversed(list(definition.versions.values()))
    return _resolution(
        definition, query, ((v, reasons_against(v, definition, query)) for v in versions)
    )


def _resolution(
    definition: ImageDefinition,
    query: Query,
    judged: Iterable[tuple[ImageVersion, Sequence[Reason]]],
) -> Resolution:
    """The verdicts of versions given highest first with the reasons against each: the first
    without reasons is chosen, the others without reasons are eligible."""
    chosen, candidates = _candidates(query, judged)
    return Resolution(definition.id, query, chosen, candidates)


def _candidates(
    query: Query, judged: Iterable[tuple[ImageVersion, Sequence[Reason]]]
) -> tuple[ImageVersion | None, tuple[Candidate, ...]]:
    """The chosen version and every candidate (see :func:`_resolution`)."""
    candidates: list[Candidate] = []
    chosen: ImageVersion | None = None
    for version, reasons in judged:
        if reasons:
            candidates.append(Candidate(version, Verdict.REJECTED, tuple(reasons)))
        elif chosen is None:
            chosen = version
            candidates.append(Candidate(version, Verdict.CHOSEN, (), notes_for(version, query)))
        else:
            candidates.append(Candidate(version, Verdict.ELIGIBLE, (), notes_for(version, query)))
    return chosen, tuple(candidates)


def latest_or_raise(definition: ImageDefinition, query: Query) -> ImageVersion:
    """The highest eligible version for checked arguments, or :class:`NoEligibleVersionError`."""
    found = _first_eligible(definition, query)
    if found is not None:
        return found
    error = explain(definition, query).error()
    assert error is not None
    raise error


# -- the questions -----------------------------------------------------------------------------


def explain_latest(
    definition: ImageDefinition,
    *,
    region: str | None = None,
    at: datetime | None = None,
    spec: SpecifierSet | str | None = None,
    end_of_life: EndOfLifePolicy = "skip",
    require_replicated: bool = True,
) -> Resolution:
    """Resolve "latest" and report every candidate with its verdict and reasons.

    Takes the same arguments as :func:`resolve_latest`, and never raises for "nothing
    eligible": the :class:`Resolution`'s ``chosen`` is then ``None``. It looks at every version,
    so it costs more than :func:`resolve_latest`.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> image1 = next(sample_inventory().definitions())
        >>> at = datetime(2025, 7, 1, tzinfo=UTC)
        >>> print(explain_latest(image1, region="westeurope", at=at))
        latest myImage1 in westeurope at 2025-07-01: 1.0.10
          1.1.0   rejected  excluded from latest in westeurope (version flag)
          1.0.10  chosen
          1.0.9   eligible
          1.0.0   rejected  end of life 2025-06-30
        >>> print(explain_latest(image1, region="eastus", at=at))
        latest myImage1 in eastus at 2025-07-01: 1.0.9
          1.1.0   rejected  not replicated to eastus (regions: westeurope, northeurope,
                              swedencentral)
          1.0.10  rejected  replication to eastus is Replicating
          1.0.9   chosen
          1.0.0   rejected  not replicated to eastus (regions: ...); end of life 2025-06-30
    """
    query = make_query(region, at, spec, end_of_life, require_replicated)
    return explain(_check_definition(definition), query)


def resolve_latest(
    definition: ImageDefinition,
    *,
    region: str | None = None,
    at: datetime | None = None,
    spec: SpecifierSet | str | None = None,
    end_of_life: EndOfLifePolicy = "skip",
    require_replicated: bool = True,
) -> ImageVersion:
    """The version "latest" gives: the highest eligible version of ``definition``.

    Args:
        definition: The image definition.
        region: The region of the deployment (any spelling). ``None`` asks for the highest
            version that is eligible in at least one of its target regions.
        at: The moment of the question (timezone-aware); defaults to now.
        spec: A version constraint, such as ``">=1.2,<2"`` or ``"~=1.4.0"`` (pin the major,
            float the rest), or a :class:`~packaging.specifiers.SpecifierSet`; at most
            :data:`MAX_SPEC_LENGTH` characters, each number at most :data:`MAX_SPEC_DIGITS`
            digits.
        end_of_life: ``"skip"`` (default) rejects versions, and definitions, at or past their
            end-of-life date; ``"allow"`` treats the dates as informational, like Azure today.
        require_replicated: Only versions whose replication to ``region`` is ``Completed`` (or
            not reported) count.

    Returns:
        The chosen version.

    Raises:
        NoEligibleVersionError: Nothing is eligible; ``.reasons`` says, per version, why.
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidSpecifierError: ``spec`` is not a specifier set, or is beyond its limits.
        InvalidRegionError: ``region`` is not a region name.
        InvalidTypeError: An argument has the wrong type.

    Every error names the argument and shows its value, shortened.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> image1 = next(sample_inventory().definitions())
        >>> at = datetime(2025, 3, 1, tzinfo=UTC)
        >>> str(resolve_latest(image1, region="eastus", at=at, require_replicated=False).name)
        '1.0.10'
        >>> str(resolve_latest(image1, region="westeurope", at=at, spec="<1.0.10").name)
        '1.0.9'
        >>> resolve_latest(image1, region="eastus", at=at, spec=">=1.1")
        Traceback (most recent call last):
        ...
        imagegallery.errors.NoEligibleVersionError: ... is not available in eastus region: ...
    """
    query = make_query(region, at, spec, end_of_life, require_replicated)
    return latest_or_raise(_check_definition(definition), query)


def resolve_recent(
    definition: ImageDefinition,
    *,
    region: str | None = None,
    at: datetime | None = None,
    spec: SpecifierSet | str | None = None,
    end_of_life: EndOfLifePolicy = "skip",
    require_replicated: bool = True,
) -> ImageVersion:
    """The most recently published eligible version of ``definition`` (not Azure's "latest").

    For parity with Terraform's ``data.azurerm_shared_image_version`` with ``name = "recent"``,
    and to show how far the two answers can be apart. Unlike Terraform's ``recent``, which
    ignores every flag, it takes the same arguments, and applies the same eligibility rules, as
    :func:`resolve_latest`; only the order differs (see the module documentation).

    Raises:
        NoEligibleVersionError: Nothing is eligible; ``.reasons`` says, per version, why.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> image2 = sample_inventory().get(
        ...     "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images"
        ...     "/providers/Microsoft.Compute/galleries/myGallery/images/myImage2")
        >>> at = datetime(2025, 3, 1, tzinfo=UTC)
        >>> str(resolve_recent(image2, region="westeurope", at=at).name)
        '2.1.0'
        >>> str(resolve_recent(image2, region="eastus", at=at).name)
        '2.0.0'
    """
    query = make_query(region, at, spec, end_of_life, require_replicated)
    definition = _check_definition(definition)
    found = _first_eligible(definition, query, recent=True)
    if found is not None:
        return found
    head = f"No version of {definition.id} is eligible as most recent"
    raise explain(definition, query)._error(head)


def latest_by_region(
    target: ImageDefinition | Gallery | Inventory,
    *,
    regions: Iterable[str] | None = None,
    at: datetime | None = None,
    spec: SpecifierSet | str | None = None,
    end_of_life: EndOfLifePolicy = "skip",
    require_replicated: bool = True,
) -> dict[ResourceId, dict[str, ImageVersion | None]]:
    """What "latest" gives in each region of each definition: the fast way to ask them all.

    Each answer is the one :func:`resolve_latest` gives for that definition in that region, or
    ``None`` where it would raise :class:`~imagegallery.errors.NoEligibleVersionError` (ask
    :func:`explain_latest` why).

    Args:
        target: An image definition, a gallery or an inventory.
        regions: The regions to ask about (any spelling; answers are keyed by the ARM form);
            ``None`` means each definition's own regions (:func:`definition_regions`).
        at: The moment of the question (timezone-aware); defaults to now.
        spec: As for :func:`resolve_latest`.
        end_of_life: As for :func:`resolve_latest`.
        require_replicated: As for :func:`resolve_latest`.

    Returns:
        Definition id → (region → version or ``None``), definitions in the order of the target,
        regions in the order of ``regions`` (sorted, by default).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.resolve import latest_by_region
        >>> image1 = next(sample_inventory().definitions())
        >>> answers = latest_by_region(image1, at=datetime(2025, 3, 1, tzinfo=UTC))[image1.id]
        >>> {region: v and str(v.name) for region, v in answers.items()}
        {'eastus': '1.0.9', 'northeurope': '1.1.0', 'swedencentral': None, 'westeurope': '1.0.10'}
        >>> answers = latest_by_region(sample_inventory(), regions=["West Europe"])
        >>> len(answers), {region for regional in answers.values() for region in regional}
        (6, {'westeurope'})
    """
    query = make_query(None, at, spec, end_of_life, require_replicated)
    if isinstance(target, ImageDefinition):
        definitions: Iterable[ImageDefinition] = (target,)
    elif isinstance(target, Gallery):
        definitions = target.definitions.values()
    elif isinstance(target, Inventory):
        definitions = target.definitions()
    else:
        raise InvalidTypeError(
            "expected an ImageDefinition, a Gallery or an Inventory", field="target", value=target
        )
    asked = _asked_regions(regions)
    return {
        definition.id: {
            region: _first_eligible(definition, query._replace(region=region))
            for region in (definition_regions(definition) if asked is None else asked)
        }
        for definition in definitions
    }


def latest_without(
    definition: ImageDefinition,
    names: Iterable[str | ImageVersionName],
    *,
    regions: Iterable[str] | None = None,
    at: datetime | None = None,
    spec: SpecifierSet | str | None = None,
    end_of_life: EndOfLifePolicy = "skip",
    require_replicated: bool = True,
) -> dict[str, ImageVersion | None]:
    """What "latest" would give in each region if the versions ``names`` were deleted.

    The answers are those of :func:`latest_by_region` for the definition without those versions,
    found in the definition's own index (built once per definition and kept, see
    :doc:`/resolve`) instead of one built for a changed copy: a retention what-if asks it for
    every definition it shrinks.

    Args:
        definition: The image definition.
        names: Names of versions of ``definition`` to leave out (any casing).
        regions: As for :func:`latest_by_region` (``None``: the definition's own regions, the
            left-out versions' included).
        at: As for :func:`resolve_latest`.
        spec: As for :func:`resolve_latest`.
        end_of_life: As for :func:`resolve_latest`.
        require_replicated: As for :func:`resolve_latest`.

    Returns:
        Region → version or ``None``, regions in the order of ``regions`` (sorted, by default).

    Raises:
        ResourceNotFoundError: A name is not a version of ``definition``.
        InvalidTypeError: An argument has the wrong type.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.resolve import latest_without
        >>> image1 = next(sample_inventory().definitions())
        >>> answers = latest_without(image1, ["1.0.10"], at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> {region: v and str(v.name) for region, v in answers.items()}
        {'eastus': '1.0.9', 'northeurope': '1.1.0', 'swedencentral': None, 'westeurope': '1.0.9'}
    """
    query = make_query(None, at, spec, end_of_life, require_replicated)
    definition = _check_definition(definition)
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise InvalidTypeError("expected version names", field="names", value=names)
    versions = definition.versions
    gone = {id(versions[name]) for name in names}
    asked = _asked_regions(regions)
    index = index_of(definition)
    dropped = {p for p, version in enumerate(index.versions) if id(version) in gone}
    if query.end_of_life == "skip":
        eol = definition.end_of_life_date
        if eol is not None and eol <= query.at:
            return dict.fromkeys(index.regions if asked is None else asked)
        alive_after: int | None = query.at_us
    else:
        alive_after = None
    return {
        region: index.first(
            region, query.require_replicated, alive_after, query.spec, dropped=dropped
        )
        for region in (index.regions if asked is None else asked)
    }


def _asked_regions(regions: Iterable[str] | None) -> list[str] | None:
    """The ``regions`` argument checked, in ARM form, without repeats (``None`` as is)."""
    if regions is None:
        return None
    if isinstance(regions, str) or not isinstance(regions, Iterable):
        raise InvalidTypeError("expected region names", field="regions", value=regions)
    return list(
        dict.fromkeys(region_argument(region, f"regions[{i}]") for i, region in enumerate(regions))
    )


def _columns(resolution: Resolution) -> dict[str, Sequence[Any]]:
    candidates = resolution.candidates
    return {
        "definition_id": [str(resolution.definition_id)] * len(candidates),
        "region": [resolution.query.region] * len(candidates),
        "version": [str(c.name) for c in candidates],
        "verdict": [c.verdict.value for c in candidates],
        "reasons": ["; ".join(str(r) for r in c.reasons) for c in candidates],
        "reason_kinds": [",".join(r.kind.value for r in c.reasons) for c in candidates],
        "notes": ["; ".join(c.notes) for c in candidates],
        "published_date": [c.version.published_date for c in candidates],
        "end_of_life_date": [c.version.end_of_life_date for c in candidates],
    }


def _resolution_html(resolution: Resolution) -> str:
    answer = str(resolution.chosen.name) if resolution.chosen is not None else "none"
    return html_table(
        ("version", "verdict", "reasons"),
        ((c.name, c.verdict, c.remarks) for c in resolution.candidates),
        caption=(f"latest {resolution.definition_id.name} {_describe(resolution.query)}: {answer}"),
        total=len(resolution.candidates),
    )
