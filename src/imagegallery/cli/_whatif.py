"""``imagegallery what-if``: what a retention or replication policy changes, saves and costs.

One policy per run, applied to every image definition with
:func:`imagegallery.planning.what_if`: the versions and replicas that change (or that the
versions' safety profiles block), the monthly saving, the one-time egress of new copies, and
every (definition, region) whose "latest" would move, like ``infracost diff``.

Example:
    >>> from imagegallery.cli import main
    >>> main(["what-if", "--delete-eol", "--at", "2025-07-01"])  # doctest: +NORMALIZE_WHITESPACE
    Policy: delete image versions past their end of life (at 2025-07-01; safety flags respected)
    <BLANKLINE>
    VERSION                   CHANGE   REPLICAS  MONTHLY SAVING  NEW-COPY EGRESS  REGIONS
    myGallery/myImage1/1.0.0  deleted     3 → 0            1.28             0.00
      westeurope 2 → 0, northeurope 1 → 0
    <BLANKLINE>
    Monthly storage: 39.91 → 38.64 USD (saves 1.28 USD)
    Egress of new copies: 0.00 USD (once)
    Versions: 1 deleted, 0 changed, 0 blocked; replicas: 3 removed, 0 added
    Latest: no (definition, region) changes its answer
    0
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any, Final

from imagegallery.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Answer,
    Command,
    Context,
    InputError,
    add_input_arguments,
    add_output_arguments,
    json_value,
    load_inventory,
    money,
    parse_regions,
    table,
)
from imagegallery.cli._cost import read_prices, read_used_sizes
from imagegallery.planning import (
    ChangeKind,
    DeleteEndOfLife,
    KeepLatest,
    ReplicateLatest,
    RetentionPolicy,
    VersionChange,
    WhatIf,
    what_if,
)

__all__ = ["COMMAND", "whatif_document", "whatif_records", "whatif_text"]


def _name(rid: Any) -> str:
    return f"{rid.gallery}/{rid.image}/{rid.version}"


def _replicas(change: VersionChange) -> tuple[int, int]:
    return (
        sum(r.replicas_before for r in change.replicas),
        sum(r.replicas_after for r in change.replicas),
    )


def whatif_text(result: WhatIf, respect_safety: bool) -> str:
    """The policy, one line per changed or blocked version, the totals, and the moved
    "latest" answers."""
    currency = result.before.currency
    safety = "safety flags respected" if respect_safety else "safety flags overridden"
    lines = [f"Policy: {result.policy} (at {_day(result)}; {safety})", ""]
    if result.changes:
        rows = []
        for change in result.changes:
            before, after = _replicas(change)
            if change.kind is ChangeKind.BLOCKED:
                detail = f"blocked: {change.reason}"
            else:
                detail = ", ".join(
                    f"{r.region} {r.replicas_before} → {r.replicas_after}" for r in change.replicas
                )
                if change.reason:
                    detail += f" ({change.reason})"
            rows.append(
                [
                    _name(change.version_id),
                    change.kind.value.replace("_", " "),
                    f"{before} → {after}" if change.replicas else "-",
                    money(change.monthly_saving),
                    money(change.new_copy_egress),
                    detail,
                ]
            )
        headers = ["VERSION", "CHANGE", "REPLICAS", "MONTHLY SAVING", "NEW-COPY EGRESS", "REGIONS"]
        lines += table(headers, rows, right={2, 3, 4})
    else:
        lines.append("No image version changes.")
    counts = {kind: sum(1 for c in result.changes if c.kind is kind) for kind in ChangeKind}
    lines += [
        "",
        f"Monthly storage: {money(result.before.monthly_storage)} →"
        f" {money(result.after.monthly_storage)} {currency}"
        f" (saves {money(result.monthly_saving)} {currency})",
        f"Egress of new copies: {money(result.new_copy_egress)} {currency} (once)",
        f"Versions: {counts[ChangeKind.DELETED]} deleted,"
        f" {counts[ChangeKind.REGIONS_CHANGED]} changed, {counts[ChangeKind.BLOCKED]} blocked;"
        f" replicas: {result.replicas_removed} removed, {result.replicas_added} added",
    ]
    if not result.latest_changes:
        lines.append("Latest: no (definition, region) changes its answer")
    else:
        lines += [
            "",
            f"Latest moves in {len(result.latest_changes)} (definition, region) pairs:",
            *table(
                ["DEFINITION", "REGION", "BEFORE", "AFTER"],
                (
                    [
                        f"{c.definition_id.gallery}/{c.definition_id.name}",
                        c.region,
                        str(c.before) if c.before is not None else "none",
                        str(c.after) if c.after is not None else "none",
                    ]
                    for c in result.latest_changes
                ),
            ),
        ]
    return "\n".join(lines)


def _day(result: WhatIf) -> str:
    at = result.at.replace(microsecond=0)
    if not at.utcoffset() and at.time().isoformat() == "00:00:00":
        return at.date().isoformat()
    return at.isoformat()


def _change_record(change: VersionChange) -> dict[str, Any]:
    rid = change.version_id
    return {
        "version_id": str(rid),
        "gallery": rid.gallery,
        "definition": rid.image,
        "version": rid.version,
        "kind": change.kind.value,
        "reason": change.reason or None,
        "monthly_saving": json_value(change.monthly_saving),
        "new_copy_egress": json_value(change.new_copy_egress),
        "replicas": [
            {
                "region": r.region,
                "storage_type": r.storage_type,
                "replicas_before": r.replicas_before,
                "replicas_after": r.replicas_after,
                "monthly_before": json_value(r.monthly_before),
                "monthly_after": json_value(r.monthly_after),
                "new_copy_egress": json_value(r.new_copy_egress),
            }
            for r in change.replicas
        ],
    }


def _latest_records(result: WhatIf) -> list[dict[str, Any]]:
    return [
        {
            "definition_id": str(c.definition_id),
            "gallery": c.definition_id.gallery,
            "definition": c.definition_id.name,
            "region": c.region,
            "before": str(c.before) if c.before is not None else None,
            "after": str(c.after) if c.after is not None else None,
        }
        for c in result.latest_changes
    ]


def whatif_document(result: WhatIf, respect_safety: bool) -> dict[str, Any]:
    """The ``imagegallery.what-if/1`` document (without its ``schema`` key)."""
    counts = {kind.value: sum(1 for c in result.changes if c.kind is kind) for kind in ChangeKind}
    return {
        "policy": result.policy,
        "at": json_value(result.at),
        "respect_safety": respect_safety,
        "currency": result.before.currency,
        "monthly_before": json_value(result.before.monthly_storage),
        "monthly_after": json_value(result.after.monthly_storage),
        "monthly_saving": json_value(result.monthly_saving),
        "new_copy_egress": json_value(result.new_copy_egress),
        "replicas_removed": result.replicas_removed,
        "replicas_added": result.replicas_added,
        "versions": counts,
        "changes": [_change_record(c) for c in result.changes],
        "latest_changes": _latest_records(result),
    }


_COLUMNS: Final = (
    "record",
    "version_id",
    "gallery",
    "definition",
    "version",
    "kind",
    "reason",
    "region",
    "storage_type",
    "replicas_before",
    "replicas_after",
    "monthly_before",
    "monthly_after",
    "new_copy_egress",
    "definition_id",
    "before",
    "after",
)


def whatif_records(result: WhatIf) -> Iterator[dict[str, Any]]:
    """CSV rows: ``record=replica`` per (version, region) change (one row for a blocked
    version), then ``record=latest`` per moved answer."""
    for change in result.changes:
        record = _change_record(change)
        base = {k: v for k, v in record.items() if k != "replicas"}
        if not record["replicas"]:
            yield {"record": "replica", **base, "new_copy_egress": None}
        for replica in record["replicas"]:
            yield {"record": "replica", **base, **replica}
    for latest in _latest_records(result):
        yield {"record": "latest", **latest}


# -- the command -----------------------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    policy = parser.add_argument_group("policy (exactly one)").add_mutually_exclusive_group(
        required=True
    )
    policy.add_argument(
        "--keep-latest",
        type=_positive,
        metavar="N",
        help="keep the N highest versions of each definition, delete the rest",
    )
    policy.add_argument(
        "--replicate-latest",
        nargs="?",
        const="",
        metavar="REGIONS",
        help="keep the latest versions (--latest) in every target region, and in REGIONS"
        " (comma-separated) if given; older versions only in their source region",
    )
    policy.add_argument(
        "--delete-eol", action="store_true", help="delete versions past their end of life"
    )
    parser.add_argument(
        "--latest",
        type=_positive,
        default=1,
        metavar="N",
        help="with --replicate-latest: how many of the highest versions count as latest"
        " (default 1)",
    )
    parser.add_argument(
        "--replicas",
        type=_positive,
        metavar="N",
        help="with --replicate-latest: the replicas older versions keep in their source region",
    )
    parser.add_argument(
        "--ignore-safety",
        action="store_true",
        help="make the changes the safety profiles block, as Azure would with the flag changed",
    )
    parser.add_argument(
        "--prices", action="extend", nargs="+", metavar="FILE", help="as for 'cost'"
    )
    parser.add_argument("--used-sizes", metavar="FILE", help="as for 'cost'")
    parser.add_argument(
        "--fail-on",
        choices=("never", "moved", "lost"),
        default="never",
        help="exit with status 1 when some latest answer moves, or becomes none (lost)",
    )
    add_output_arguments(parser)


def _policy(args: argparse.Namespace) -> RetentionPolicy:
    if args.replicate_latest is None and (args.replicas is not None or args.latest != 1):
        raise InputError("--replicas", "--latest and --replicas go with --replicate-latest")
    if args.keep_latest is not None:
        return KeepLatest(args.keep_latest)
    if args.delete_eol:
        return DeleteEndOfLife()
    regions = parse_regions([args.replicate_latest], "--replicate-latest")
    return ReplicateLatest(keep=args.latest, regions=regions, older_replicas=args.replicas)


def _failing(result: WhatIf, fail_on: str) -> bool:
    if fail_on == "moved":
        return bool(result.latest_changes)
    if fail_on == "lost":
        return any(c.after is None for c in result.latest_changes)
    return False


def _run(ctx: Context) -> Answer:
    args = ctx.args
    policy = _policy(args)
    prices = read_prices(args.prices or (), ctx)
    inventory = load_inventory(ctx)
    used = read_used_sizes(args.used_sizes, inventory, ctx) if args.used_sizes else None
    respect = not args.ignore_safety
    with ctx.progress.step("applying the policy, pricing before and after"):
        result = what_if(inventory, policy, prices, at=ctx.at, respect_safety=respect, used_gb=used)
    return Answer(
        command="what-if",
        text=lambda: whatif_text(result, respect),
        document=lambda: whatif_document(result, respect),
        columns=_COLUMNS,
        rows=lambda: whatif_records(result),
        status=EXIT_NEGATIVE if _failing(result, args.fail_on) else EXIT_OK,
    )


COMMAND: Final = Command(
    name="what-if",
    help="what a retention or replication policy changes, saves and costs",
    description="Applies one policy to every image definition and compares before and after:"
    " the versions and replicas that change (or that safety flags block), the monthly saving,"
    " the one-time egress of new copies, and every (definition, region) whose latest moves.",
    examples="""\
  imagegallery what-if --keep-latest 3                     # the sample inventory
  imagegallery what-if -i export.json --delete-eol --at 2026-01-01
  imagegallery what-if -i export.json --replicate-latest westus2,japaneast --replicas 1
  imagegallery what-if -i export.json --keep-latest 5 --fail-on lost --format json""",
    arguments=_arguments,
    run=_run,
)
