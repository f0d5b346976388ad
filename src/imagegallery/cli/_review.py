"""The command line's text renderings of a review: an inventory diff, lint findings, the rules.

Only public names of :mod:`imagegallery.review` are used; JSON and CSV come from the results'
``to_json_dict()`` and ``to_records()``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from imagegallery.errors import InvalidFieldError
from imagegallery.ids import ResourceId
from imagegallery.review import (
    RULES,
    DiffKind,
    InventoryDiff,
    LintReport,
    LintRule,
    rule,
)

__all__ = ["render_diff", "render_lint", "render_rules"]

_CENT: Final = Decimal("0.01")
_WIDTH: Final = 90
_RESOURCES: Final = 50
"""Resources listed before "... and N more"."""
_PROPERTIES: Final = 10
"""Property changes listed per resource before "... and N more"."""
_MARKS: Final = {DiffKind.ADDED: "+", DiffKind.REMOVED: "-", DiffKind.CHANGED: "~"}


def _money(amount: Decimal, *, sign: bool = False) -> str:
    text = f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):,}"
    return f"+{text}" if sign and not text.startswith("-") else text


def _short(rid: ResourceId) -> str:
    """``gallery/definition/version`` for gallery resources, the id otherwise."""
    if rid.gallery is None:
        return str(rid)
    return "/".join(part for part in (rid.gallery, rid.image, rid.version) if part)


def _reference(text: str) -> str:
    """A reference shortened like a resource when it is a gallery id."""
    try:
        return _short(ResourceId.parse(text))
    except InvalidFieldError:
        return text


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
    ) or [indent]


def render_diff(diff: InventoryDiff) -> str:
    """A diff as text: the summary, then resources, latest moves, broken references, cost and
    access, each section only when it has something to show.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import remove, sample_inventory
        >>> from imagegallery.review import diff
        >>> from imagegallery.cli._review import render_diff
        >>> old = sample_inventory()
        >>> image1 = next(old.definitions())
        >>> result = diff(old, remove(old, image1.versions["1.0.9"].id),
        ...               at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> print(render_diff(result))
        Diff at 2025-03-01T00:00:00+00:00: 1 removed; latest moves in 1 (definition, region) pair;
          monthly storage 39.91 -> 38.21 USD (-1.70)
        <BLANKLINE>
        Resources (1):
          - version    myGallery/myImage1/1.0.9
        <BLANKLINE>
        Latest moves (1):
          myGallery/myImage1  eastus  1.0.9 -> none
            1.0.9 removed; no version is eligible in eastus now
        <BLANKLINE>
        Cost (USD): monthly storage 39.91 -> 38.21 (-1.70)
          region              before      after      delta  new copies
          eastus                0.43       0.00      -0.43        0.00
          northeurope           0.43       0.00      -0.43        0.00
          westeurope            0.85       0.00      -0.85        0.00
    """
    lines = _wrap(f"Diff at {diff.at.isoformat()}: {diff.summary()}", "")
    if diff.resources:
        lines += ["", f"Resources ({len(diff.resources)}):"]
        for change in diff.resources[:_RESOURCES]:
            lines.append(
                f"  {_MARKS[change.change]} {change.resource_type:<10} {_short(change.resource_id)}"
            )
            for p in change.properties[:_PROPERTIES]:
                lines += _wrap(str(p), "      ")
            if len(change.properties) > _PROPERTIES:
                lines.append(f"      ... and {len(change.properties) - _PROPERTIES} more")
        if len(diff.resources) > _RESOURCES:
            lines.append(f"  ... and {len(diff.resources) - _RESOURCES} more resources")
    if diff.latest_moves:
        lines += ["", f"Latest moves ({len(diff.latest_moves)}):"]
        for move in diff.latest_moves:
            lines.append(
                f"  {_short(move.definition_id)}  {move.region}  {move.before or 'none'} ->"
                f" {move.after or 'none'}"
            )
            lines += _wrap("; ".join(move.reasons), "    ")
    if diff.broken_references:
        lines += ["", f"Broken references ({len(diff.broken_references)}):"]
        for broken in diff.broken_references:
            lines.append(
                f"  {_reference(broken.reference)}  {broken.region}  (was {broken.before})"
            )
            lines += _wrap(f"{broken.error_type}: {broken.error}", "    ")
    if diff.resources:
        cost = diff.cost
        head = (
            f"Cost ({cost.currency}): monthly storage {_money(cost.monthly_before)} ->"
            f" {_money(cost.monthly_after)} ({_money(cost.monthly_delta, sign=True)})"
        )
        if cost.new_copy_egress:
            head += f"; one-time egress of new first copies {_money(cost.new_copy_egress)}"
        lines += ["", head + (" (includes estimates)" if cost.estimated else "")]
        if cost.regions:
            lines.append(
                f"  {'region':<16}{'before':>10}{'after':>11}{'delta':>11}{'new copies':>12}"
            )
            for region in cost.regions:
                mark = " *" if region.estimated else ""
                lines.append(
                    f"  {region.region:<16}{_money(region.monthly_before):>10}"
                    f"{_money(region.monthly_after):>11}"
                    f"{_money(region.monthly_delta, sign=True):>11}"
                    f"{_money(region.new_copy_egress):>12}{mark}"
                )
    if diff.access is not None:
        lines += ["", f"Access ({len(diff.access)} change{'s' if len(diff.access) != 1 else ''}):"]
        groups: dict[tuple[str, str, str], dict[str, list[str]]] = {}
        for access in diff.access:
            key = (
                _short(access.definition_id),
                access.region,
                f"{access.before or 'none'} -> {access.after or 'none'}",
            )
            groups.setdefault(key, {}).setdefault(access.change.value, []).append(access.principal)
        for (name, where, answers), kinds in groups.items():
            lines.append(f"  {name}  {where}  ({answers})")
            for kind, principals in kinds.items():
                lines += _wrap(f"{kind}: {', '.join(principals)}", "    ")
    return "\n".join(lines)


def render_lint(report: LintReport) -> str:
    """Lint findings as text: the summary, each finding (severity, rule, resource, region and
    message), then how to fix each rule that found something, with its source.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.review import lint
        >>> from imagegallery.cli._review import render_lint
        >>> report = lint(sample_inventory(), at=datetime(2025, 7, 1, tzinfo=UTC),
        ...               rules=["shallow-replication"])
        >>> print(render_lint(report))
        Lint at 2025-07-01T00:00:00+00:00: 1 finding: 1 warning (1 rule)
        <BLANKLINE>
        warning  shallow-replication  sharedGallery/linuxBase/24.4.2
                 24.4.2 uses shallow replication, which is meant for test images; linuxBase is not
                   marked as a test image
        <BLANKLINE>
        How to fix:
          shallow-replication: Publish with full replication, or mark the definition as a test
            image (test tags or test definitions in the configuration).
            Source: Azure Compute Gallery: shallow replication is for test images, not for
            large-scale deployment (azure-gallery.md §6, D1, D2, D8)
    """
    lines = _wrap(f"Lint at {report.at.isoformat()}: {report.summary()}", "")
    if report.skipped:
        lines += _wrap(f"Skipped for lack of data: {', '.join(report.skipped)}", "")
    if not report:
        return "\n".join(lines)
    lines.append("")
    for finding in report:
        where = f" ({finding.region})" if finding.region else ""
        lines.append(f"{finding.severity.value:<9}{finding.rule}  {finding.resource_name}{where}")
        lines += _wrap(finding.message, " " * 9)
    lines += ["", "How to fix:"]
    for rule_id in report.by_rule():
        r = rule(rule_id)
        lines += _wrap(f"{r.id}: {r.hint}", "  ")
        lines += textwrap.wrap(
            f"Source: {r.source}",
            width=_WIDTH,
            initial_indent="    ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    return "\n".join(lines)


def render_rules(rules: Iterable[LintRule] = RULES) -> str:
    """The lint rules as a table: id, default severity, what each checks.

    Example:
        >>> from imagegallery.cli._review import render_rules
        >>> for line in render_rules().splitlines()[2:4]:
        ...     print(line)
        replication-failed              error    replication to a region failed
        replica-limits                  error    more replicas than a documented maximum
    """
    rows = [f"{'rule':<32}{'severity':<9}checks"]
    for r in rules:
        needs = f" (needs {r.needs.replace('_', ' ')})" if r.needs else ""
        rows.append(f"{r.id:<32}{r.severity.value:<9}{r.title}{needs}")
    return "\n".join(rows)
