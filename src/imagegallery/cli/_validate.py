"""``imagegallery validate``: constraint, quota and replica-limit findings.

* **constraint** (error): a resource breaks a rule the loader enforces (names, identifiers,
  target regions, replica counts, LUNs, ids under their parents, ...). Where loading the files
  together fails, each resource is loaded alone so that every broken one is reported, with its
  file and field path; then the rest are assembled.
* **quota** (error over the limit, warning at ``--warn-at`` of it): galleries, image definitions
  and image versions per subscription and region (:func:`imagegallery.check_quotas`).
* **replicas-per-version** (error: Azure refuses more than 100) and **replicas-per-region**
  (warning: the best practices' 50), from :func:`imagegallery.planning.check_replicas`.

Exit status 1 when a finding is at or above ``--fail-on`` (default: error). Unreadable files
and malformed JSON are still bad input (exit status 2).

Example:
    >>> from imagegallery.cli import main
    >>> main(["validate"])  # doctest: +NORMALIZE_WHITESPACE
    Validated 3 galleries, 6 image definitions and 13 image versions against the current
    limits (100 galleries, 1,000 image definitions, 10,000 image versions per subscription and
    region).
    No findings.
    0
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from typing import Any, Final

import attrs

from imagegallery.arm import iter_arm_resources, load_arm
from imagegallery.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Answer,
    Command,
    Context,
    InputError,
    add_input_arguments,
    add_output_arguments,
    build_inventory,
    read_inputs,
    shorten,
    table,
)
from imagegallery.errors import ImageGalleryError, InvalidFieldError
from imagegallery.inventory import Inventory
from imagegallery.planning import ReplicaStatus, check_replicas
from imagegallery.quotas import CURRENT_LIMITS, LEGACY_LIMITS, QuotaLimits, check_quotas
from imagegallery.sample import sample_inventory

__all__ = [
    "COMMAND",
    "SEVERITIES",
    "Finding",
    "add_limit_arguments",
    "check",
    "failing",
    "limits_for",
    "validate_document",
    "validate_text",
]

SEVERITIES: Final = ("error", "warning")
"""Finding severities, most severe first."""


@attrs.frozen(kw_only=True)
class Finding:
    """One finding.

    Attributes:
        rule: ``constraint``, ``quota``, ``replicas-per-version`` or ``replicas-per-region``.
        severity: ``error`` or ``warning``.
        resource: The resource (an id, ``subscription/region`` for quotas, or a file path).
        message: What is wrong.
        source: The file, for constraint findings.
        subscription_id: For quota findings.
        region: For quota and replica findings.
        count: The count found (quota, replicas).
        limit: The limit.
    """

    rule: str
    severity: str
    resource: str
    message: str
    source: str | None = None
    subscription_id: str | None = None
    region: str | None = None
    count: int | None = None
    limit: int | None = None

    def to_record(self) -> dict[str, Any]:
        """The finding as a JSON object / CSV row."""
        return attrs.asdict(self)


def limits_for(legacy: bool, warn_at: float | None) -> QuotaLimits:
    """The quota limits: current or legacy, warning at ``warn_at`` of each limit if given."""
    base = LEGACY_LIMITS if legacy else CURRENT_LIMITS
    if warn_at is None:
        return base
    if not 0 < warn_at <= 1:
        raise InputError("--warn-at", f"a fraction of the limit, in (0, 1] (got {warn_at})")
    return QuotaLimits(
        galleries=base.galleries,
        definitions=base.definitions,
        versions=base.versions,
        warn_ratio=warn_at,
    )


def _quota_findings(inventory: Inventory, limits: QuotaLimits) -> Iterator[Finding]:
    for quota in check_quotas(inventory, limits):
        yield Finding(
            rule="quota",
            severity="error" if quota.over else "warning",
            resource=f"{quota.subscription_id}/{quota.region}",
            message=str(quota),
            subscription_id=quota.subscription_id,
            region=quota.region,
            count=quota.count,
            limit=quota.limit,
        )


def _replica_findings(inventory: Inventory) -> Iterator[Finding]:
    for found in check_replicas(inventory):
        if found.status is not ReplicaStatus.ABOVE_LIMIT:
            continue
        per_version = found.region is None
        yield Finding(
            rule="replicas-per-version" if per_version else "replicas-per-region",
            severity="error" if per_version else "warning",
            resource=str(found.version_id or found.definition_id),
            message=found.reason,
            region=found.region,
            count=found.replicas,
        )


def check(inventory: Inventory, limits: QuotaLimits) -> list[Finding]:
    """Quota and replica-limit findings of a loaded inventory."""
    return [*_quota_findings(inventory, limits), *_replica_findings(inventory)]


def _constraint(name: str, path: str, err: ImageGalleryError, resource: object) -> Finding:
    if isinstance(err, InvalidFieldError) and path:
        err = err.at(path)
    rid = resource.get("id") if isinstance(resource, dict) else None
    return Finding(
        rule="constraint",
        severity="error",
        resource=rid if isinstance(rid, str) else f"{name}:{path or '/'}",
        message=shorten(str(err), 400),
        source=name,
    )


def _load_each(inputs: Sequence[tuple[str, Any]]) -> tuple[Inventory, list[Finding]]:
    """Load resource by resource, keeping those that load; then assemble them."""
    findings: list[Finding] = []
    good: list[dict[str, Any]] = []
    for name, document in inputs:
        try:
            resources = list(iter_arm_resources(document))
        except ImageGalleryError as err:
            findings.append(_constraint(name, "", err, None))
            continue
        for path, resource in resources:
            try:
                load_arm(resource)
            except ImageGalleryError as err:
                findings.append(_constraint(name, path, err, resource))
            else:
                good.append(resource)
    try:
        return load_arm(good), findings
    except ImageGalleryError as err:
        names = ", ".join(name for name, _ in inputs)
        findings.append(_constraint(names, "", err, None))
        return Inventory(), findings


def _load(ctx: Context) -> tuple[Inventory, list[Finding]]:
    if not ctx.input_paths:
        return sample_inventory(), []
    inputs = read_inputs(ctx)
    try:
        return build_inventory(ctx, inputs), []
    except InputError:
        with ctx.progress.step("checking each resource"):
            return _load_each(inputs)


def _limits_text(limits: QuotaLimits) -> str:
    which = "legacy" if limits.versions == LEGACY_LIMITS.versions else "current"
    return (
        f"the {which} limits ({limits.galleries:,} galleries, {limits.definitions:,} image"
        f" definitions, {limits.versions:,} image versions per subscription and region)"
    )


def validate_text(inventory: Inventory, limits: QuotaLimits, findings: Sequence[Finding]) -> str:
    """The counts and limits, then a table of the findings."""
    galleries = sum(1 for _ in inventory.galleries())
    definitions = sum(1 for _ in inventory.definitions())
    lines = [
        f"Validated {galleries} galleries, {definitions} image definitions and {len(inventory)}"
        f" image versions against {_limits_text(limits)}."
    ]
    if not findings:
        lines.append("No findings.")
        return "\n".join(lines)
    rows = [[f.severity, f.rule, f.resource, f.message] for f in findings]
    lines += ["", *table(["SEVERITY", "RULE", "RESOURCE", "MESSAGE"], rows)]
    return "\n".join(lines)


def validate_document(
    inventory: Inventory, limits: QuotaLimits, findings: Sequence[Finding], fail_on: str
) -> dict[str, Any]:
    """The ``imagegallery.validate/1`` document (without its ``schema`` key)."""
    return {
        "limits": {
            "galleries": limits.galleries,
            "definitions": limits.definitions,
            "versions": limits.versions,
            "warn_ratio": limits.warn_ratio,
        },
        "counts": {
            "galleries": sum(1 for _ in inventory.galleries()),
            "definitions": sum(1 for _ in inventory.definitions()),
            "versions": len(inventory),
        },
        "fail_on": fail_on,
        "findings": [f.to_record() for f in findings],
    }


def failing(findings: Sequence[Finding], fail_on: str) -> bool:
    """Whether a finding is at or above ``fail_on`` (``error``, ``warning`` or ``never``)."""
    if fail_on == "never":
        return False
    levels = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
    return any(f.severity in levels for f in findings)


_COLUMNS: Final = tuple(attrs.fields_dict(Finding))


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    """``--legacy-limits`` and ``--warn-at``."""
    parser.add_argument(
        "--legacy-limits",
        action="store_true",
        help="check the older quotas (10 galleries, 200 definitions, 2,000 versions)",
    )
    parser.add_argument(
        "--warn-at",
        type=float,
        metavar="FRACTION",
        help="also warn when a count reaches this fraction of its limit (0.8: 80%%)",
    )


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_limit_arguments(parser)
    parser.add_argument(
        "--fail-on",
        choices=(*SEVERITIES, "never"),
        default="error",
        help="exit with status 1 when a finding is at least this severe (default: error)",
    )
    add_output_arguments(parser)


def _run(ctx: Context) -> Answer:
    args = ctx.args
    limits = limits_for(args.legacy_limits, args.warn_at)
    inventory, findings = _load(ctx)
    with ctx.progress.step("checking quotas and replica limits"):
        findings += check(inventory, limits)
    return Answer(
        command="validate",
        text=lambda: validate_text(inventory, limits, findings),
        document=lambda: validate_document(inventory, limits, findings, args.fail_on),
        columns=_COLUMNS,
        rows=lambda: (f.to_record() for f in findings),
        status=EXIT_NEGATIVE if failing(findings, args.fail_on) else EXIT_OK,
    )


COMMAND: Final = Command(
    name="validate",
    help="constraint, quota and replica-limit findings",
    description="Checks an inventory: every resource against the rules Azure enforces (each"
    " broken resource reported with its file and field), the per-subscription, per-region"
    " quotas, and the replica limits. Exit status 1 when a finding is at or above --fail-on.",
    examples="""\
  imagegallery validate -i export.json
  imagegallery validate -i export.json --legacy-limits --warn-at 0.8 --fail-on warning
  imagegallery validate -i page1.json -i page2.json --format json""",
    arguments=_arguments,
    run=_run,
)
