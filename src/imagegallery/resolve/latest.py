"""Which version "latest" gives: :func:`resolve_latest`, and :func:`explain_latest` to say why.

The rules (see :doc:`/resolve` for where they come from):

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
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import attrs
from packaging.specifiers import SpecifierSet

from imagegallery import _html
from imagegallery._speed import as_lists, records
from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidTypeError, NoEligibleVersionError
from imagegallery.ids import ResourceId
from imagegallery.version import ImageVersion
from imagegallery.version_name import ImageVersionName

from ._index import first_eligible
from ._query import (
    EndOfLifePolicy,
    Query,
    Reason,
    format_datetime,
    make_query,
    notes_for,
    reasons_against,
)

if TYPE_CHECKING:
    import pandas

__all__ = ["Candidate", "Resolution", "Verdict", "explain_latest", "resolve_latest"]


_SHOWN_IN_MESSAGE: Final = 5


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
        parts.append(f"matching {str(query.spec)!r}")
    if query.end_of_life == "allow":
        parts.append("end of life allowed")
    if not query.require_replicated:
        parts.append("replication not required")
    return " ".join(parts)


@attrs.frozen
class Resolution:
    """The answer of :func:`explain_latest` with every candidate and its verdict.

    ``candidates`` are in resolution order: highest version number first. ``str()`` gives a
    table for a terminal; :meth:`to_records` rows for a data frame; notebooks render
    :meth:`_repr_html_`.

    Attributes:
        definition_id: The image definition asked about.
        query: The checked arguments (region, moment, constraint, policies).
        chosen: The answer, or ``None`` when nothing is eligible.
        candidates: Every version of the definition with its verdict and reasons.

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

    definition_id: ResourceId
    query: Query
    chosen: ImageVersion | None
    candidates: tuple[Candidate, ...]

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
        return _no_eligible_error(self, head)

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
        return records(_columns(self))

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
        return as_lists(_columns(self))

    def to_dataframe(self, *, exact: bool = False) -> pandas.DataFrame:
        """The candidates as a typed ``pandas.DataFrame`` (needs the ``pandas`` extra); see
        :func:`imagegallery.frames.to_dataframe`.

        Raises:
            MissingDependencyError: pandas is not installed.
        """
        from imagegallery.frames import to_dataframe  # noqa: PLC0415 - frames is a layer above

        return to_dataframe(_columns(self), exact=exact)


def _no_eligible_error(resolution: Resolution, head: str) -> NoEligibleVersionError:
    """The error for an unanswered ``resolution``: ``head``, the query, and the first reasons."""
    reasons = resolution.reasons()
    if not reasons:
        detail = "the image definition has no versions"
    else:
        shown = [
            f"{name}: {'; '.join(why)}" for name, why in list(reasons.items())[:_SHOWN_IN_MESSAGE]
        ]
        more = len(reasons) - len(shown)
        detail = " | ".join(shown) + (f" | and {more} more" if more else "")
    return NoEligibleVersionError(
        f"{head} ({_describe(resolution.query)}; {detail})",
        definition_id=resolution.definition_id,
        region=resolution.query.region,
        reasons=reasons,
    )


def _explain(definition: ImageDefinition, query: Query) -> Resolution:
    """:func:`explain_latest` for checked arguments."""
    candidates: list[Candidate] = []
    chosen: ImageVersion | None = None
    for version in reversed(list(definition.versions.values())):
        reasons = reasons_against(version, definition, query)
        if reasons:
            candidates.append(Candidate(version, Verdict.REJECTED, tuple(reasons)))
        elif chosen is None:
            chosen = version
            candidates.append(Candidate(version, Verdict.CHOSEN, (), notes_for(version, query)))
        else:
            candidates.append(Candidate(version, Verdict.ELIGIBLE, (), notes_for(version, query)))
    return Resolution(definition.id, query, chosen, tuple(candidates))


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
    query = make_query(
        region=region,
        at=at,
        spec=spec,
        end_of_life=end_of_life,
        require_replicated=require_replicated,
    )
    return _explain(_check_definition(definition), query)


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
            float the rest), or a :class:`~packaging.specifiers.SpecifierSet`.
        end_of_life: ``"skip"`` (default) rejects versions, and definitions, at or past their
            end-of-life date; ``"allow"`` treats the dates as informational, like Azure today.
        require_replicated: Only versions whose replication to ``region`` is ``Completed`` (or
            not reported) count.

    Returns:
        The chosen version.

    Raises:
        NoEligibleVersionError: Nothing is eligible; ``.reasons`` says, per version, why.
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidSpecifierError: ``spec`` is not a specifier set.
        InvalidRegionError: ``region`` is not a region name.

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
    query = make_query(
        region=region,
        at=at,
        spec=spec,
        end_of_life=end_of_life,
        require_replicated=require_replicated,
    )
    definition = _check_definition(definition)
    found = first_eligible(definition, query)
    if found is not None:
        return found
    error = _explain(definition, query).error()
    assert error is not None
    raise error


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
    return _html.table(
        ("version", "verdict", "reasons"),
        ((c.name, c.verdict, c.remarks) for c in resolution.candidates),
        caption=(f"latest {resolution.definition_id.name} {_describe(resolution.query)}: {answer}"),
        total=len(resolution.candidates),
    )
