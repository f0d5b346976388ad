"""``imagegallery report``: the inventory, "latest" per region, access, cost and findings.

The main report, one section after another; each section is what the command of its name
answers (``inventory --level definitions``, ``latest``, ``access``, ``cost``, ``validate``).
On the embedded sample, the access section uses the sample's access facts; on your own inventory
it needs your access exports (``--role-assignments`` ...) and otherwise says that access was not
given. Exit status 1 when validation finds an error (a quota over its limit).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any, Final

from imagegallery.cli._access import (
    access_summary,
    add_access_arguments,
    load_access,
    summary_document,
    summary_text,
)
from imagegallery.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Answer,
    Command,
    Context,
    add_input_arguments,
    add_output_arguments,
    json_value,
    load_inventory,
    schema_name,
)
from imagegallery.cli._cost import cost_document, cost_text, read_prices
from imagegallery.cli._inventory import definition_records, definitions_text
from imagegallery.cli._latest import LatestSettings, latest_document, latest_rows, latest_text
from imagegallery.cli._validate import (
    add_limit_arguments,
    check,
    failing,
    limits_for,
    validate_document,
    validate_text,
)
from imagegallery.costs import estimate_cost
from imagegallery.inventory import Inventory

__all__ = ["COMMAND"]

_GROUPINGS: Final = ("gallery", "region", "storage-type")


def _section(title: str, body: str) -> str:
    return f"{title}\n{'=' * len(title)}\n{body}"


def _selection(inventory: Inventory) -> list[Any]:
    return [
        (gallery, definition, list(definition.versions.values()))
        for gallery in inventory.galleries()
        for definition in gallery.definitions.values()
    ]


def _headline(inventory: Inventory) -> str:
    galleries = sum(1 for _ in inventory.galleries())
    definitions = sum(1 for _ in inventory.definitions())
    return (
        f"Inventory: {galleries} galleries, {definitions} image definitions,"
        f" {len(inventory)} image versions in {len(inventory.subscriptions())} subscriptions"
    )


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    add_access_arguments(parser)
    add_limit_arguments(parser)
    parser.add_argument(
        "--prices", action="extend", nargs="+", metavar="FILE", help="as for 'cost'"
    )
    add_output_arguments(parser)


def _run(ctx: Context) -> Answer:
    args = ctx.args
    at = ctx.at
    limits = limits_for(args.legacy_limits, args.warn_at)
    prices = read_prices(args.prices or (), ctx)
    inventory = load_inventory(ctx)
    definitions = definition_records(_selection(inventory))
    settings = LatestSettings(at=at)
    with ctx.progress.step("resolving latest", total=sum(1 for _ in inventory.definitions())):
        latest = list(latest_rows(inventory, settings, progress=ctx.progress))
    access = load_access(ctx, inventory)
    eligible = bool(args.include_eligible)
    summary = (
        access_summary(access, inventory, at, ctx.progress, include_eligible=eligible)
        if access
        else None
    )
    with ctx.progress.step("pricing"):
        cost = estimate_cost(inventory, prices)
    with ctx.progress.step("checking quotas and replica limits"):
        findings = check(inventory, limits)
    versions = len(inventory)
    note = (
        None
        if access is not None
        else "access was not given: pass your exports with --role-assignments (and"
        " --role-definitions, --memberships, --directory) to see who can deploy"
    )

    def text() -> str:
        parts = [
            _section(
                "Inventory", "\n".join([_headline(inventory), "", *definitions_text(definitions)])
            ),
            _section("Latest version per region", latest_text(latest, settings)),
            _section(
                "Access", summary_text(summary) if summary is not None else f"Not shown: {note}."
            ),
            _section("Cost", cost_text(cost, _GROUPINGS, versions=versions)),
            _section("Validation", validate_text(inventory, limits, findings)),
        ]
        return "\n\n".join(parts)

    def document() -> dict[str, Any]:
        return {
            "at": json_value(at),
            "sample": not ctx.input_paths,
            "inventory": {
                "schema": schema_name("inventory"),
                "at": json_value(at),
                "level": "definitions",
                "filters": {
                    "definitions": None,
                    "regions": [],
                    "past_eol": False,
                    "excluded": False,
                    "not_replicated": False,
                },
                "rows": definitions,
            },
            "latest": {"schema": schema_name("latest"), **latest_document(latest, settings)},
            "access": None
            if summary is None
            else {
                "schema": schema_name("access"),
                "question": "summary",
                "at": json_value(at),
                "include_eligible": eligible,
                "sample": summary.access.sample,
                "summary": summary_document(summary),
            },
            "access_note": note,
            "cost": {
                "schema": schema_name("cost"),
                **cost_document(cost, _GROUPINGS, versions=versions),
            },
            "validate": {
                "schema": schema_name("validate"),
                **validate_document(inventory, limits, findings, "error"),
            },
        }

    def rows() -> Iterator[dict[str, Any]]:
        doc = document()
        for record in definitions:
            for item in ("versions", "highest_version"):
                yield {
                    "section": "inventory",
                    "subject": record["id"],
                    "item": item,
                    "value": record[item],
                }
        for record in doc["latest"]["rows"]:
            yield {
                "section": "latest",
                "subject": record["definition_id"],
                "region": record["region"],
                "item": "version" if record["version"] else "reason",
                "value": record["version"] or record["reason"],
            }
        if doc["access"] is not None:
            for record in doc["access"]["summary"]["latest"]:
                for principal in record["principals"]:
                    yield {
                        "section": "access",
                        "subject": record["version_id"],
                        "item": "principal",
                        "value": principal["label"],
                    }
        for by, groups in doc["cost"]["groupings"].items():
            for group in groups:
                for item in ("monthly_storage", "one_time_egress"):
                    yield {
                        "section": f"cost by {by}",
                        "subject": group["key"],
                        "item": item,
                        "value": group[item],
                    }
        for finding in doc["validate"]["findings"]:
            yield {
                "section": "validate",
                "subject": finding["resource"],
                "region": finding["region"],
                "item": f"{finding['severity']} {finding['rule']}",
                "value": finding["message"],
            }

    return Answer(
        command="report",
        text=text,
        document=document,
        columns=("section", "subject", "region", "item", "value"),
        rows=rows,
        status=EXIT_NEGATIVE if failing(findings, "error") else EXIT_OK,
    )


COMMAND: Final = Command(
    name="report",
    help="the inventory, latest per region, access, cost and findings (the default)",
    description="The main report: the inventory's definitions, the latest version in each"
    " region of each definition, who can deploy it (with access exports, or the sample's"
    " principals on the sample), the cost summary, and quota and replica-limit findings."
    " Exit status 1 when a finding is an error.",
    examples="""\
  imagegallery report                                      # the embedded sample
  imagegallery report -i export.json --at 2026-01-01T00:00:00Z
  imagegallery report -i export.json --role-assignments ra.json --role-definitions roles.json \\
      --target /subscriptions/SUB/resourceGroups/rg-apps --format json -o report.json
  imagegallery report -i export.json | head -20""",
    arguments=_arguments,
    run=_run,
)
