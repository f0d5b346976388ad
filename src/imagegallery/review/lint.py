"""Check an inventory against the documented practice: :func:`lint`.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.review import lint
    >>> report = lint(sample_inventory(), at=datetime(2025, 7, 1, tzinfo=UTC),
    ...               rules=["no-eligible-latest", "replication-slow"])
    >>> for finding in report:
    ...     print(finding)  # doctest: +NORMALIZE_WHITESPACE
    error no-eligible-latest myGallery/myImage1 (swedencentral): no version of myImage1 is
        eligible for latest in swedencentral (1.1.0: excluded from latest in swedencentral
        (version flag))
    warning replication-slow myGallery/myImage1/1.0.10 (eastus): replication of 1.0.10 to
        eastus is Replicating, 40% done, 259 days after publishing
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.inventory import Inventory
from imagegallery.review._context import Context
from imagegallery.review.config import LintConfig
from imagegallery.review.findings import LintFinding, LintReport
from imagegallery.review.rules import RULES, LintRule, rule
from imagegallery.timestamps import moment

if TYPE_CHECKING:
    from imagegallery.access import AccessModel

__all__ = ["lint", "selected_rules"]


def _ids(value: Iterable[str], field: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    out = []
    for index, rule_id in enumerate(value):
        try:
            out.append(rule(rule_id).id)
        except InvalidFieldError as err:
            raise InvalidFieldError(err.reason, field=f"{field}[{index}]", value=rule_id) from None
    return out


def selected_rules(
    rules: Iterable[str] | None = None, config: LintConfig | None = None
) -> tuple[LintRule, ...]:
    """The rules :func:`lint` would run: ``rules`` (or ``config.select``, or all), less
    ``config.ignore``, in :data:`~imagegallery.review.RULES` order.

    Raises:
        InvalidFieldError: An unknown rule id.

    Example:
        >>> from imagegallery.review import LintConfig, selected_rules
        >>> config = LintConfig(select=["quota-exceeded", "quota-near-limit"],
        ...                     ignore=["quota-near-limit"])
        >>> [r.id for r in selected_rules(config=config)]
        ['quota-exceeded']
    """
    config = LintConfig() if config is None else config
    chosen = rules if rules is not None else config.select
    wanted = set(_ids(chosen, "rules")) if chosen is not None else {r.id for r in RULES}
    ignored = set(_ids(sorted(config.ignore), "ignore"))
    _ids(sorted(config.severities), "severities")
    return tuple(r for r in RULES if r.id in wanted and r.id not in ignored)


def lint(
    inventory: Inventory,
    *,
    at: datetime | None = None,
    rules: Iterable[str] | None = None,
    config: LintConfig | None = None,
    access: AccessModel | None = None,
) -> LintReport:
    """Check ``inventory`` against the practice the product documents describe.

    Args:
        inventory: What to check.
        at: The moment (end of life, "latest", replication age); defaults to now.
        rules: Rule ids to run (default: ``config.select``, else every rule in
            :data:`~imagegallery.review.RULES`).
        config: What the rules need to know (production and test images, expected load,
            thresholds), ignored rules and severities; ``None`` means the defaults.
        access: An :class:`~imagegallery.access.AccessModel` of the inventory, for the rules
            about sharing; without it they are skipped.

    Returns:
        The :class:`~imagegallery.review.LintReport`; ``report.rules`` lists the rules that ran,
        ``report.skipped`` those that lacked data (access, expected load).

    Raises:
        InvalidFieldError: An unknown rule id (in ``rules`` or the configuration).
        InvalidTypeError: Arguments of the wrong type.
        NaiveDatetimeError: ``at`` has no time zone.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.review import lint
        >>> report = lint(sample_inventory(), at=datetime(2025, 7, 1, tzinfo=UTC))
        >>> report.counts()
        {'error': 1, 'warning': 2, 'info': 11}
        >>> report.skipped
        ('replicas-for-load', 'version-level-sharing')
    """
    if not isinstance(inventory, Inventory):
        raise InvalidTypeError(
            "expected an Inventory", field="inventory", value=type(inventory).__name__
        )
    if config is None:
        config = LintConfig()
    elif not isinstance(config, LintConfig):
        raise InvalidTypeError(
            "expected a LintConfig (LintConfig.from_mapping reads plain data)",
            field="config",
            value=type(config).__name__,
        )
    if access is not None:
        from imagegallery.access import AccessModel  # noqa: PLC0415 - networkx when asked

        if not isinstance(access, AccessModel):
            raise InvalidTypeError(
                "expected an AccessModel", field="access", value=type(access).__name__
            )
    when = moment(at)
    chosen = selected_rules(rules, config)
    ctx = Context(inventory, when, config, access)
    available: dict[str, Any] = {"access": access, "expected_load": config.expected_load}
    findings: list[LintFinding] = []
    ran: list[str] = []
    skipped: list[str] = []
    for r in chosen:
        if r.needs is not None and available[r.needs] is None:
            skipped.append(r.id)
            continue
        ran.append(r.id)
        severity = config.severities.get(r.id, r.severity)
        findings.extend(
            LintFinding(
                rule=r.id,
                severity=severity,
                resource_id=hit.resource_id,
                region=hit.region,
                message=hit.message,
                source=r.source,
                hint=r.hint,
            )
            for hit in r.check(ctx)
        )
    return LintReport(findings=findings, at=when, rules=ran, skipped=skipped)
