"""``imagegallery inventory``: a table of galleries, image definitions or image versions.

Versions (the default level) are listed one per line with their regions, dates and flags, and
can be filtered: by definition, by region, past end of life, excluded from latest, or not
(yet) replicated. ``--level definitions`` and ``--level galleries`` count the versions that pass
the filters.

Example:
    >>> from imagegallery.cli import main
    >>> main(["inventory", "-d", "myImage1", "--excluded", "--at", "2025-03-01"])
    ... # doctest: +NORMALIZE_WHITESPACE
    GALLERY    DEFINITION  VERSION  REGIONS                                 PUBLISHED
      END OF LIFE  FLAGS
    myGallery  myImage1    1.1.0    westeurope, northeurope, swedencentral  2025-02-03
      -            excluded (northeurope overrides)
    0
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from imagegallery.cli._common import (
    EXIT_OK,
    Answer,
    Command,
    Context,
    add_input_arguments,
    add_output_arguments,
    find_definitions,
    json_value,
    load_inventory,
    parse_regions,
    table,
)
from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationState
from imagegallery.gallery import Gallery
from imagegallery.inventory import Inventory
from imagegallery.version import ImageVersion

__all__ = [
    "COMMAND",
    "VersionFilter",
    "definition_records",
    "definitions_text",
    "gallery_records",
    "version_records",
]

_LEVELS: Final = ("versions", "definitions", "galleries")
_COMPLETED: Final = ReplicationState.COMPLETED


@attrs.frozen
class VersionFilter:
    """Which versions to list: all conditions given must hold.

    Attributes:
        at: The moment end of life is judged at.
        regions: Only versions in one of these regions; the flags below are then judged in them.
        past_eol: Only versions (or definitions) at or past their end of life.
        excluded: Only versions excluded from latest (in a region of the filter, or in any of
            their regions).
        not_replicated: Only versions whose replication is reported and not ``Completed`` (in
            such a region).
    """

    at: datetime
    regions: tuple[str, ...] = ()
    past_eol: bool = False
    excluded: bool = False
    not_replicated: bool = False

    @property
    def active(self) -> bool:
        """Whether any version condition is given."""
        return bool(self.regions or self.past_eol or self.excluded or self.not_replicated)

    def regions_of(self, version: ImageVersion) -> tuple[str, ...]:
        """The version's regions the filter looks at."""
        own = version.region_names or (version.location,)
        if not self.regions:
            return own
        return tuple(r for r in own if r in self.regions)

    def keeps(self, definition: ImageDefinition, version: ImageVersion) -> bool:
        """Whether ``version`` (of ``definition``) passes."""
        regions = self.regions_of(version)
        if self.regions and not regions:
            return False
        if self.past_eol and not _past_eol(definition, version, self.at):
            return False
        if self.excluded and not any(version.excluded_from_latest_in(r) for r in regions):
            return False
        return not self.not_replicated or any(_replicating(version, r) for r in regions)


def _past_eol(definition: ImageDefinition, version: ImageVersion, at: datetime) -> bool:
    return any(
        eol is not None and eol <= at
        for eol in (version.end_of_life_date, definition.end_of_life_date)
    )


def _replicating(version: ImageVersion, region: str) -> bool:
    state = version.replication_state_in(region)
    return state is not None and state is not _COMPLETED


def _date(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment is not None else "-"


def _flags(definition: ImageDefinition, version: ImageVersion, at: datetime) -> str:
    flags: list[str] = []
    regions = version.region_names or (version.location,)
    excluded = [r for r in regions if version.excluded_from_latest_in(r)]
    if version.exclude_from_latest:
        kept = [r for r in regions if r not in excluded]
        flags.append("excluded" + (f" ({', '.join(kept)} overrides)" if kept else ""))
        excluded = []
    if excluded:
        flags.append(f"excluded in {', '.join(excluded)}")
    if _past_eol(definition, version, at):
        flags.append("past end of life")
    states = [
        f"{state.value} in {r}"
        for r in regions
        if (state := version.replication_state_in(r)) is not None and state is not _COMPLETED
    ]
    flags.extend(states)
    return ", ".join(flags) or "-"


def _selected(
    inventory: Inventory, definitions: Sequence[ImageDefinition] | None, keep: VersionFilter
) -> Iterator[tuple[Gallery, ImageDefinition, list[ImageVersion]]]:
    wanted = None if definitions is None else {d.id for d in definitions}
    for gallery in inventory.galleries():
        for definition in gallery.definitions.values():
            if wanted is not None and definition.id not in wanted:
                continue
            versions = [v for v in definition.versions.values() if keep.keeps(definition, v)]
            if keep.active and not versions:
                continue
            yield gallery, definition, versions


# -- records -------------------------------------------------------------------------------------


def version_records(
    selection: Sequence[tuple[Gallery, ImageDefinition, list[ImageVersion]]], at: datetime
) -> list[dict[str, Any]]:
    """One record per version (JSON ``rows`` at the ``versions`` level)."""
    out = []
    for gallery, definition, versions in selection:
        subscription_id = gallery.subscription_id
        resource_group = gallery.id.resource_group
        gallery_name, definition_name = gallery.name, definition.name
        for version in versions:
            published, end_of_life = version.published_date, version.end_of_life_date
            out.append(
                {
                    "subscription_id": subscription_id,
                    "resource_group": resource_group,
                    "gallery": gallery_name,
                    "definition": definition_name,
                    "version": str(version.name),
                    "id": str(version.id),
                    "location": version.location,
                    "published_date": published.isoformat() if published else None,
                    "end_of_life_date": end_of_life.isoformat() if end_of_life else None,
                    "exclude_from_latest": version.exclude_from_latest,
                    "past_end_of_life": _past_eol(definition, version, at),
                    "regions": [_region_record(version, r) for r in _regions(version)],
                }
            )
    return out


def _regions(version: ImageVersion) -> tuple[str, ...]:
    return version.region_names or (version.location,)


def _region_record(version: ImageVersion, region: str) -> dict[str, Any]:
    storage = version.storage_account_type_in(region)
    state = version.replication_state_in(region)
    return {
        "region": region,
        "replicas": version.replicas_in(region),
        "storage_type": storage.value if storage is not None else None,
        "excluded_from_latest": version.excluded_from_latest_in(region),
        "replication_state": state.value if state is not None else None,
    }


def definition_records(
    selection: Sequence[tuple[Gallery, ImageDefinition, list[ImageVersion]]],
) -> list[dict[str, Any]]:
    """One record per definition (JSON ``rows`` at the ``definitions`` level)."""
    out = []
    for gallery, definition, versions in selection:
        identifier = definition.identifier
        regions: dict[str, None] = {}
        for version in versions:
            regions.update(dict.fromkeys(version.region_names or (version.location,)))
        out.append(
            {
                "subscription_id": gallery.subscription_id,
                "resource_group": gallery.id.resource_group,
                "gallery": gallery.name,
                "definition": definition.name,
                "id": str(definition.id),
                "publisher": identifier.publisher if identifier else None,
                "offer": identifier.offer if identifier else None,
                "sku": identifier.sku if identifier else None,
                "os_type": json_value(definition.os_type),
                "os_state": json_value(definition.os_state),
                "hyper_v_generation": json_value(definition.hyper_v_generation),
                "architecture": json_value(definition.architecture),
                "end_of_life_date": json_value(definition.end_of_life_date),
                "versions": len(versions),
                "highest_version": str(versions[-1].name) if versions else None,
                "regions": sorted(regions),
            }
        )
    return out


def gallery_records(
    selection: Sequence[tuple[Gallery, ImageDefinition, list[ImageVersion]]],
    inventory: Inventory,
    *,
    filtered: bool,
) -> list[dict[str, Any]]:
    """One record per gallery (JSON ``rows`` at the ``galleries`` level); with ``filtered``,
    only the galleries of the selection."""
    counts: dict[Any, list[int]] = {}
    for gallery, _definition, kept in selection:
        entry = counts.setdefault(gallery.id, [0, 0])
        entry[0] += 1
        entry[1] += len(kept)
    out = []
    for gallery in inventory.galleries():
        if filtered and gallery.id not in counts:
            continue
        definitions, versions = counts.get(gallery.id, [0, 0])
        out.append(
            {
                "subscription_id": gallery.subscription_id,
                "resource_group": gallery.id.resource_group,
                "gallery": gallery.name,
                "id": str(gallery.id),
                "location": gallery.location,
                "sharing": json_value(gallery.sharing_permission),
                "implied": gallery.implied,
                "definitions": definitions,
                "versions": versions,
            }
        )
    return out


# -- text ------------------------------------------------------------------------------------------


def _versions_text(
    selection: Sequence[tuple[Gallery, ImageDefinition, list[ImageVersion]]], at: datetime
) -> list[str]:
    rows = [
        [
            gallery.name,
            definition.name,
            str(version.name),
            ", ".join(version.region_names or (version.location,)),
            _date(version.published_date),
            _date(version.end_of_life_date),
            _flags(definition, version, at),
        ]
        for gallery, definition, versions in selection
        for version in versions
    ]
    if not rows:
        return ["(no image versions)"]
    headers = ["GALLERY", "DEFINITION", "VERSION", "REGIONS", "PUBLISHED", "END OF LIFE", "FLAGS"]
    return table(headers, rows)


def definitions_text(records: Sequence[dict[str, Any]]) -> list[str]:
    rows = [
        [
            r["gallery"],
            r["definition"],
            "/".join(str(r[k] or "?") for k in ("publisher", "offer", "sku")),
            f"{r['os_type'] or '?'} {r['os_state'] or '?'}",
            str(r["versions"]),
            r["highest_version"] or "-",
            ", ".join(r["regions"]) or "-",
        ]
        for r in records
    ]
    if not rows:
        return ["(no image definitions)"]
    headers = ["GALLERY", "DEFINITION", "IDENTIFIER", "OS", "VERSIONS", "HIGHEST", "REGIONS"]
    return table(headers, rows, right={4})


def _galleries_text(records: Sequence[dict[str, Any]]) -> list[str]:
    rows = [
        [
            r["gallery"] + (" (implied)" if r["implied"] else ""),
            r["subscription_id"][:8],
            r["resource_group"] or "",
            r["location"],
            r["sharing"],
            str(r["definitions"]),
            str(r["versions"]),
        ]
        for r in records
    ]
    if not rows:
        return ["(no galleries)"]
    headers = [
        "GALLERY",
        "SUBSCRIPTION",
        "RESOURCE GROUP",
        "LOCATION",
        "SHARING",
        "DEFINITIONS",
        "VERSIONS",
    ]
    return table(headers, rows, right={5, 6})


_VERSION_COLUMNS: Final = (
    "subscription_id",
    "resource_group",
    "gallery",
    "definition",
    "version",
    "id",
    "location",
    "published_date",
    "end_of_life_date",
    "exclude_from_latest",
    "past_end_of_life",
    "region",
    "replicas",
    "storage_type",
    "excluded_from_latest",
    "replication_state",
)
_DEFINITION_COLUMNS: Final = (
    "subscription_id",
    "resource_group",
    "gallery",
    "definition",
    "id",
    "publisher",
    "offer",
    "sku",
    "os_type",
    "os_state",
    "hyper_v_generation",
    "architecture",
    "end_of_life_date",
    "versions",
    "highest_version",
    "regions",
)
_GALLERY_COLUMNS: Final = (
    "subscription_id",
    "resource_group",
    "gallery",
    "id",
    "location",
    "sharing",
    "implied",
    "definitions",
    "versions",
)


def _version_csv_rows(records: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One CSV row per version and region (the version's record, updated with the region's)."""
    for record in records:
        for region in record["regions"]:
            record.update(region)
            yield record


# -- the command -----------------------------------------------------------------------------------


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "--level",
        choices=_LEVELS,
        default="versions",
        help="one line per image version (default), image definition or gallery",
    )
    parser.add_argument(
        "--definition",
        "-d",
        action="append",
        metavar="ID|NAME",
        help="only this image definition: its id, GALLERY/DEFINITION, or DEFINITION (repeatable)",
    )
    parser.add_argument(
        "--region",
        "-r",
        action="append",
        metavar="REGION",
        help="only versions in these regions (repeatable or comma-separated); the flags below"
        " are then judged in them",
    )
    parser.add_argument(
        "--past-eol",
        action="store_true",
        help="only versions at or past their (or their definition's) end of life at --at",
    )
    parser.add_argument(
        "--excluded", action="store_true", help="only versions excluded from latest"
    )
    parser.add_argument(
        "--not-replicated",
        action="store_true",
        help="only versions whose replication is reported and not Completed",
    )
    add_output_arguments(parser)


def _run(ctx: Context) -> Answer:
    args = ctx.args
    keep = VersionFilter(
        at=ctx.at,
        regions=parse_regions(args.region),
        past_eol=args.past_eol,
        excluded=args.excluded,
        not_replicated=args.not_replicated,
    )
    inventory = load_inventory(ctx)
    definitions = find_definitions(inventory, args.definition)
    selection = list(_selected(inventory, definitions, keep))
    level = args.level
    at = ctx.at

    def records() -> list[dict[str, Any]]:
        if level == "versions":
            return version_records(selection, at)
        if level == "definitions":
            return definition_records(selection)
        filtered = definitions is not None or keep.active
        return gallery_records(selection, inventory, filtered=filtered)

    def text() -> str:
        if level == "versions":
            return "\n".join(_versions_text(selection, at))
        if level == "definitions":
            return "\n".join(definitions_text(records()))
        return "\n".join(_galleries_text(records()))

    def rows() -> Iterator[dict[str, Any]]:
        found = records()
        return _version_csv_rows(found) if level == "versions" else iter(found)

    columns = {
        "versions": _VERSION_COLUMNS,
        "definitions": _DEFINITION_COLUMNS,
        "galleries": _GALLERY_COLUMNS,
    }[level]
    filters = {
        "definitions": [str(d.id) for d in definitions] if definitions is not None else None,
        "regions": list(keep.regions),
        "past_eol": keep.past_eol,
        "excluded": keep.excluded,
        "not_replicated": keep.not_replicated,
    }
    return Answer(
        command="inventory",
        text=text,
        document=lambda: {
            "at": json_value(at),
            "level": level,
            "filters": filters,
            "rows": records(),
        },
        columns=columns,
        rows=rows,
        status=EXIT_OK,
    )


COMMAND: Final = Command(
    name="inventory",
    help="a table of image versions, definitions or galleries, with filters",
    description="The galleries, image definitions and image versions of the inventory, one per"
    " line: versions (default) with their regions, dates and flags; definitions and galleries"
    " with the number of versions that pass the filters.",
    examples="""\
  imagegallery inventory                                   # every version of the sample
  imagegallery inventory -i export.json --level definitions
  imagegallery inventory -i export.json -d myImage1 --region eastus --not-replicated
  imagegallery inventory -i export.json --past-eol --at 2026-01-01 --format csv -o eol.csv
  imagegallery inventory -i export.json --excluded --format json""",
    arguments=_arguments,
    run=_run,
)
