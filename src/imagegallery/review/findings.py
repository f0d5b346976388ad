"""What :func:`~imagegallery.review.lint` reports: :class:`LintFinding` and :class:`LintReport`.

Example:
    >>> from imagegallery.review import Severity
    >>> Severity.parse("WARNING") >= Severity.INFO, Severity.ERROR.rank
    (True, 3)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Final, overload

import attrs

from imagegallery.errors import InvalidEnumValueError
from imagegallery.ids import ResourceId
from imagegallery.review.changes import resource_type_of

__all__ = [
    "LINT_RECORD_COLUMNS",
    "LINT_SCHEMA",
    "LintFinding",
    "LintReport",
    "Severity",
]

LINT_SCHEMA: Final = "imagegallery.lint/1"
"""The ``schema`` of :meth:`LintReport.to_json_dict`; the number changes only when a key is
removed or changes meaning."""

LINT_RECORD_COLUMNS: Final = (
    "rule",
    "severity",
    "resource_id",
    "resource_type",
    "region",
    "message",
    "source",
    "hint",
)
"""The keys of every row of :meth:`LintReport.to_records`, in order."""


class Severity(enum.StrEnum):
    """How much a finding matters; ordered ``info < warning < error``.

    Example:
        >>> from imagegallery.review import Severity
        >>> sorted([Severity.ERROR, Severity.INFO, Severity.WARNING])
        [<Severity.INFO: 'info'>, <Severity.WARNING: 'warning'>, <Severity.ERROR: 'error'>]
    """

    ERROR = "error"
    """Deployments fail or will fail (nothing eligible, failed replication, over a limit)."""
    WARNING = "warning"
    """Against the documented practice, with a risk to availability, cost or security."""
    INFO = "info"
    """Worth knowing; often deliberate."""

    @property
    def rank(self) -> int:
        """1 for info, 2 for warning, 3 for error."""
        return _RANKS[self]

    @classmethod
    def parse(cls, value: str | Severity, *, field: str = "severity") -> Severity:
        """A severity from its name, any case.

        Raises:
            InvalidEnumValueError: Not ``error``, ``warning`` or ``info``.
        """
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        raise InvalidEnumValueError(
            "a severity is 'error', 'warning' or 'info'", field=field, value=value
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_RANKS: Final = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


def _to_severity(value: str | Severity) -> Severity:
    return Severity.parse(value)


def _to_id(value: str | ResourceId) -> ResourceId:
    return ResourceId.parse(value)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class LintFinding:
    """One place where an inventory departs from the documented practice.

    Attributes:
        rule: The rule's id (see :data:`~imagegallery.review.RULES`).
        severity: How much it matters (the rule's, unless configured otherwise).
        resource_id: The gallery, definition, version, or subscription (quotas) concerned.
        region: The region concerned, or ``None``.
        message: What is wrong, with the values found.
        source: Where the practice is documented.
        hint: How to fix it.

    Example:
        >>> from imagegallery.review import LintFinding, Severity
        >>> finding = LintFinding(
        ...     rule="replication-failed", severity=Severity.ERROR,
        ...     resource_id="/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute"
        ...                 "/galleries/g/images/app/versions/1.0.0",
        ...     region="eastus", message="replication to eastus failed",
        ...     source="Azure Compute Gallery, Replication", hint="replicate again")
        >>> print(finding)
        error replication-failed g/app/1.0.0 (eastus): replication to eastus failed
    """

    rule: str
    severity: Severity = attrs.field(converter=_to_severity)
    resource_id: ResourceId = attrs.field(converter=_to_id)
    region: str | None = None
    message: str
    source: str
    hint: str

    @property
    def resource_type(self) -> str:
        """``gallery``, ``definition``, ``version`` or the id's kind (``subscription``)."""
        return resource_type_of(self.resource_id)

    @property
    def resource_name(self) -> str:
        """A short name: ``gallery/definition/version``, or the id's last name otherwise."""
        rid = self.resource_id
        if rid.gallery is None:
            return f"{rid.kind.value} {rid.name}"
        return "/".join(part for part in (rid.gallery, rid.image, rid.version) if part)

    def to_record(self) -> dict[str, Any]:
        """The finding as one flat dict with the keys :data:`LINT_RECORD_COLUMNS`."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "resource_id": str(self.resource_id),
            "resource_type": self.resource_type,
            "region": self.region,
            "message": self.message,
            "source": self.source,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        where = f" ({self.region})" if self.region else ""
        return f"{self.severity.value} {self.rule} {self.resource_name}{where}: {self.message}"


def _sort_key(finding: LintFinding) -> tuple[Any, ...]:
    return (
        -finding.severity.rank,
        finding.rule,
        str(finding.resource_id).lower(),
        finding.region or "",
        finding.message,
    )


def _findings(value: Iterable[LintFinding]) -> tuple[LintFinding, ...]:
    return tuple(sorted(value, key=_sort_key))


@attrs.frozen(kw_only=True)
class LintReport(Sequence[LintFinding]):
    """The findings of :func:`~imagegallery.review.lint`: a sequence of :class:`LintFinding`.

    Findings are ordered by severity (errors first), then rule id, resource id and region.

    Attributes:
        findings: The findings.
        at: The moment the inventory was checked at.
        rules: The ids of the rules that ran.
        skipped: The ids of the selected rules that did not run for lack of data (access data,
            expected load).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.review import lint
        >>> report = lint(sample_inventory(), at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> report.fails_on("error"), len(report.at_or_above("warning")) <= len(report)
        (True, True)
    """

    findings: tuple[LintFinding, ...] = attrs.field(converter=_findings)
    at: datetime
    rules: tuple[str, ...] = attrs.field(converter=_strings)
    skipped: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    @overload
    def __getitem__(self, index: int) -> LintFinding: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[LintFinding]: ...
    def __getitem__(self, index: int | slice) -> LintFinding | Sequence[LintFinding]:
        return self.findings[index]

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[LintFinding]:
        return iter(self.findings)

    def __bool__(self) -> bool:
        return bool(self.findings)

    def counts(self) -> dict[str, int]:
        """Findings per severity: ``{"error": n, "warning": n, "info": n}``."""
        out = dict.fromkeys((s.value for s in Severity), 0)
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out

    def at_or_above(self, severity: str | Severity) -> tuple[LintFinding, ...]:
        """The findings of ``severity`` or worse.

        Raises:
            InvalidEnumValueError: Not a severity.
        """
        floor = Severity.parse(severity)
        return tuple(f for f in self.findings if f.severity >= floor)

    def fails_on(self, severity: str | Severity) -> bool:
        """Whether any finding is of ``severity`` or worse (for a CI job's exit status).

        Raises:
            InvalidEnumValueError: Not a severity.
        """
        return bool(self.at_or_above(severity))

    def by_rule(self) -> dict[str, tuple[LintFinding, ...]]:
        """The findings grouped by rule id, in report order."""
        out: dict[str, list[LintFinding]] = {}
        for finding in self.findings:
            out.setdefault(finding.rule, []).append(finding)
        return {rule: tuple(items) for rule, items in out.items()}

    def summary(self) -> str:
        """One line: how many findings of each severity, and how many rules ran.

        Example:
            >>> from imagegallery import Inventory
            >>> from imagegallery.review import lint
            >>> lint(Inventory()).summary()
            'no findings (16 rules; 2 skipped for lack of data)'
        """
        rules = f"{len(self.rules)} rule{'s' if len(self.rules) != 1 else ''}"
        if self.skipped:
            rules += f"; {len(self.skipped)} skipped for lack of data"
        if not self.findings:
            return f"no findings ({rules})"
        counts = self.counts()
        parts = []
        for severity in Severity:
            count = counts[severity.value]
            if count:
                plural = "s" if count != 1 and severity is not Severity.INFO else ""
                parts.append(f"{count} {severity.value}{plural}")
        total = len(self.findings)
        return f"{total} finding{'s' if total != 1 else ''}: {', '.join(parts)} ({rules})"

    def to_records(self) -> list[dict[str, Any]]:
        """One :meth:`LintFinding.to_record` dict per finding (keys :data:`LINT_RECORD_COLUMNS`)."""
        return [f.to_record() for f in self.findings]

    def to_json_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict, schema :data:`LINT_SCHEMA`.

        Keys: ``schema``, ``at``, ``summary``, ``counts`` (per severity), ``rules`` (the ids
        that ran), ``skipped`` (the ids skipped for lack of data), ``findings`` (the records).

        Example:
            >>> import json
            >>> from imagegallery import Inventory
            >>> from imagegallery.review import lint
            >>> data = lint(Inventory()).to_json_dict()
            >>> data["schema"], data["counts"], data["findings"]
            ('imagegallery.lint/1', {'error': 0, 'warning': 0, 'info': 0}, [])
            >>> json.loads(json.dumps(data)) == data
            True
        """
        return {
            "schema": LINT_SCHEMA,
            "at": self.at.isoformat(),
            "summary": self.summary(),
            "counts": self.counts(),
            "rules": list(self.rules),
            "skipped": list(self.skipped),
            "findings": self.to_records(),
        }
