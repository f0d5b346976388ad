"""``imagegallery latest``: which version "latest" gives, per image definition and region, and why.

Every answer comes from :func:`imagegallery.resolve.resolve_latest` (or
:func:`~imagegallery.resolve.explain_latest` with ``--explain``, and
:func:`~imagegallery.resolve.resolve_reference` for ``--reference``). A definition's regions are
the union of its versions' target regions, unless ``--region`` names them.

Example:
    >>> from imagegallery.cli import main
    >>> main(["latest", "--definition", "myImage1", "--region", "eastus",
    ...       "--at", "2025-03-01T00:00:00Z"])
    Latest image versions at 2025-03-01 (end of life: skip; replication required)
    <BLANKLINE>
    GALLERY    DEFINITION  REGION  LATEST
    myGallery  myImage1    eastus  1.0.9
    0
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from imagegallery.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Answer,
    Command,
    Context,
    InputError,
    add_input_arguments,
    add_output_arguments,
    find_definitions,
    json_value,
    load_inventory,
    parse_regions,
    shorten,
    table,
)
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    ImageGalleryError,
    ImageVersionUnavailableError,
    InvalidFieldError,
    InvalidImageReferenceError,
    NoEligibleVersionError,
    ResourceNotFoundError,
)
from imagegallery.inventory import Inventory
from imagegallery.resolve import (
    EndOfLifePolicy,
    ReasonKind,
    Resolution,
    Verdict,
    explain_latest,
    latest_by_region,
    resolve_reference,
)
from imagegallery.version import ImageVersion

__all__ = [
    "COMMAND",
    "LatestRow",
    "LatestSettings",
    "latest_document",
    "latest_records",
    "latest_rows",
    "latest_text",
    "why_none",
]

_SHOWN: Final = 3
_NO_VERSIONS: Final = "the image definition has no versions"


@attrs.frozen
class LatestSettings:
    """The question's settings, as given on the command line (checked by the resolver)."""

    at: datetime
    spec: str | None = None
    end_of_life: EndOfLifePolicy = "skip"
    require_replicated: bool = True
    explain: bool = False

    def describe(self) -> str:
        """The settings in words, for the first line of the text output."""
        when = _moment(self.at)
        parts = [
            f"end of life: {self.end_of_life}",
            "replication required" if self.require_replicated else "replication not required",
        ]
        if self.spec:
            parts.append(f"spec {self.spec}")
        return f"Latest image versions at {when} ({'; '.join(parts)})"


@attrs.frozen
class LatestRow:
    """One answer: a definition (or a reference) in a region, and the version it gets.

    Attributes:
        definition: The image definition, when known.
        region: The region (``None`` for a definition without versions).
        reference: The ``--reference`` text, for reference rows.
        version: The version "latest" gives (or the pinned version), or ``None``.
        reason: Why there is none.
        resolution: Every candidate's verdict (``--explain``).
    """

    definition: ImageDefinition | None
    region: str | None
    reference: str | None = None
    version: ImageVersion | None = None
    reason: str | None = None
    resolution: Resolution | None = None


def _moment(at: datetime) -> str:
    at = at.replace(microsecond=0)
    if at.utcoffset() is not None and not at.utcoffset() and at.time() == datetime.min.time():
        return at.date().isoformat()
    return at.isoformat()


def why_none(resolution: Resolution) -> str:
    """Why nothing is eligible, in one line: the versions that target the region and satisfy
    the constraint first, with their reasons; those outside the constraint, and those that do
    not target the region, are only counted.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.resolve import explain_latest
        >>> image1 = next(sample_inventory().definitions())
        >>> answer = explain_latest(image1, region="swedencentral",
        ...                         at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> print(why_none(answer))  # doctest: +NORMALIZE_WHITESPACE
        1.1.0 excluded from latest in swedencentral (version flag); 3 other versions not
        replicated to swedencentral
    """
    if not resolution.candidates:
        return _NO_VERSIONS
    targeting: list[str] = []
    outside = elsewhere = 0
    for candidate in resolution.candidates:
        if candidate.verdict is not Verdict.REJECTED:
            continue
        kinds = {reason.kind for reason in candidate.reasons}
        if ReasonKind.NOT_IN_REGION in kinds:
            elsewhere += 1
        elif ReasonKind.CONSTRAINT in kinds:
            outside += 1
        else:
            why = ", ".join(str(reason) for reason in candidate.reasons)
            targeting.append(f"{candidate.name} {why}")
    items = targeting[:_SHOWN]
    if len(targeting) > len(items):
        items.append(f"+{len(targeting) - len(items)} more")
    other = "other " if targeting else ""
    if outside:
        plural = "s" if outside > 1 else ""
        items.append(f"{outside} {other}version{plural} outside {str(resolution.spec)!r}")
    if elsewhere:
        region = resolution.region
        where = f"to {region}" if region else "anywhere"
        plural = "s" if elsewhere > 1 else ""
        other = "other " if targeting or outside else ""
        items.append(f"{elsewhere} {other}version{plural} not replicated {where}")
    return "; ".join(items)


def _option_error(err: InvalidFieldError) -> InputError:
    option = {"spec": "--spec", "region": "--region", "at": "--at"}.get(err.field or "", "")
    shown = f" (got {shorten(repr(err.value), 60)})" if err.value is not None else ""
    return InputError(option or (err.field or ""), err.reason + shown)


def _options(settings: LatestSettings) -> dict[str, Any]:
    return {
        "at": settings.at,
        "spec": settings.spec,
        "end_of_life": settings.end_of_life,
        "require_replicated": settings.require_replicated,
    }


def _rows_of(
    definition: ImageDefinition,
    answers: dict[str, ImageVersion | None],
    settings: LatestSettings,
) -> Iterator[LatestRow]:
    if not answers:
        yield LatestRow(definition, None, reason=_NO_VERSIONS)
    for region, found in answers.items():
        if settings.explain or found is None:
            resolution = explain_latest(definition, region=region, **_options(settings))
            reason = None if found is not None else why_none(resolution)
            kept = resolution if settings.explain else None
            yield LatestRow(definition, region, None, found, reason, kept)
        else:
            yield LatestRow(definition, region, None, found)


def latest_rows(
    inventory: Inventory,
    settings: LatestSettings,
    *,
    definitions: Sequence[ImageDefinition] | None = None,
    regions: Sequence[str] = (),
    progress: Any = None,
) -> Iterator[LatestRow]:
    """The answer for each definition (all, or ``definitions``) in each of its regions (or in
    each of ``regions``), in inventory order, regions sorted; from
    :func:`imagegallery.resolve.latest_by_region`, with :func:`why_none` where nothing is
    eligible."""
    for definition in definitions if definitions is not None else inventory.definitions():
        try:
            answers = latest_by_region(
                definition, regions=list(regions) or None, **_options(settings)
            )[definition.id]
        except InvalidFieldError as err:
            raise _option_error(err) from None
        yield from _rows_of(definition, answers, settings)
        if progress is not None:
            progress.advance()


def _reference_rows(
    inventory: Inventory,
    references: Sequence[str],
    regions: Sequence[str],
    settings: LatestSettings,
) -> Iterator[LatestRow]:
    for reference in references:
        for region in regions:
            try:
                version = resolve_reference(
                    inventory,
                    reference,
                    region=region,
                    at=settings.at,
                    end_of_life=settings.end_of_life,
                    require_replicated=settings.require_replicated,
                )
            except InvalidImageReferenceError as err:
                raise InputError("--reference", str(err)) from None
            except (
                NoEligibleVersionError,
                ImageVersionUnavailableError,
                ResourceNotFoundError,
            ) as err:
                definition = _referenced_definition(inventory, reference)
                row = LatestRow(definition, region, reference, None, _error_text(err))
            except InvalidFieldError as err:
                raise _option_error(err) from None
            else:
                found = inventory.get(version.definition_id)
                definition = found if isinstance(found, ImageDefinition) else None
                row = LatestRow(definition, region, reference, version)
            if settings.explain and row.definition is not None and _floating(reference):
                resolution = explain_latest(
                    row.definition,
                    region=region,
                    at=settings.at,
                    end_of_life=settings.end_of_life,
                    require_replicated=settings.require_replicated,
                )
                row = attrs.evolve(row, resolution=resolution)
            yield row


def _error_text(err: ImageGalleryError) -> str:
    return shorten(str(err), 400)


def _floating(reference: str) -> bool:
    last = reference.rstrip("/").rsplit("/", 2)
    return not (len(last) == 3 and last[1].lower() == "versions" and last[2].lower() != "latest")


def _referenced_definition(inventory: Inventory, reference: str) -> ImageDefinition | None:
    try:
        found = inventory.get(reference)
    except ImageGalleryError:
        return None
    if isinstance(found, ImageDefinition):
        return found
    if isinstance(found, ImageVersion):
        parent = inventory.get(found.definition_id)
        return parent if isinstance(parent, ImageDefinition) else None
    return None


# -- rendering -------------------------------------------------------------------------------------


def latest_text(rows: Sequence[LatestRow], settings: LatestSettings) -> str:
    """The rows as a table (``none: why`` where nothing is eligible); with ``--explain``, each
    answer's candidates follow the table."""
    lines = [settings.describe(), ""]
    if not rows:
        lines.append("(no image definitions)")
        return "\n".join(lines)
    with_reference = any(row.reference is not None for row in rows)
    headers = ["GALLERY", "DEFINITION", *(["REFERENCE"] if with_reference else []), "REGION"]
    body = []
    for row in rows:
        cells = [
            (row.definition.id.gallery or "") if row.definition else "-",
            row.definition.name if row.definition else "-",
            *([shorten(row.reference or "", 60)] if with_reference else []),
            row.region or "-",
            str(row.version.name) if row.version is not None else f"none: {row.reason}",
        ]
        body.append(cells)
    lines += table([*headers, "LATEST"], body)
    for row in rows:
        if row.resolution is not None:
            lines += ["", str(row.resolution)]
    return "\n".join(lines)


def _row_record(row: LatestRow) -> dict[str, Any]:
    definition = row.definition
    return {
        "gallery": definition.id.gallery if definition else None,
        "definition": definition.name if definition else None,
        "definition_id": str(definition.id) if definition else None,
        "region": row.region,
        "reference": row.reference,
        "version": str(row.version.name) if row.version is not None else None,
        "version_id": str(row.version.id) if row.version is not None else None,
        "reason": row.reason,
    }


def latest_document(rows: Sequence[LatestRow], settings: LatestSettings) -> dict[str, Any]:
    """The ``imagegallery.latest/1`` document (without its ``schema`` key)."""
    out = []
    for row in rows:
        record = _row_record(row)
        if settings.explain:
            record["candidates"] = (
                [
                    {
                        "version": str(c.name),
                        "verdict": c.verdict.value,
                        "reasons": [str(r) for r in c.reasons],
                        "reason_kinds": [r.kind.value for r in c.reasons],
                        "notes": list(c.notes),
                    }
                    for c in row.resolution.candidates
                ]
                if row.resolution is not None
                else None
            )
        out.append(record)
    return {
        "at": json_value(settings.at),
        "end_of_life": settings.end_of_life,
        "require_replicated": settings.require_replicated,
        "spec": settings.spec,
        "rows": out,
    }


_COLUMNS: Final = (
    "gallery",
    "definition",
    "definition_id",
    "region",
    "reference",
    "version",
    "version_id",
    "reason",
)
_EXPLAIN_COLUMNS: Final = (*_COLUMNS, "candidate", "verdict", "reasons", "reason_kinds", "notes")


def latest_records(rows: Iterable[LatestRow], settings: LatestSettings) -> Iterator[dict[str, Any]]:
    """CSV rows: one per answer, or (``--explain``) one per candidate of each answer."""
    for row in rows:
        record = _row_record(row)
        if not settings.explain or row.resolution is None:
            yield record
            continue
        for candidate in row.resolution.to_records():
            yield {
                **record,
                "candidate": candidate["version"],
                "verdict": candidate["verdict"],
                "reasons": candidate["reasons"],
                "reason_kinds": candidate["reason_kinds"],
                "notes": candidate["notes"],
            }


# -- the command -----------------------------------------------------------------------------------


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
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
        help="only these regions (repeatable or comma-separated; any spelling: 'West Europe')",
    )
    parser.add_argument(
        "--spec",
        metavar="SPECIFIERS",
        help="a version constraint such as '>=1.2,<2' or '~=1.4.0'",
    )
    parser.add_argument(
        "--end-of-life",
        choices=("skip", "allow"),
        default="skip",
        help="skip versions at or past their end of life (default), or allow them as Azure does",
    )
    parser.add_argument(
        "--allow-replicating",
        action="store_true",
        help="count versions whose replication to the region has not completed",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="list every candidate version with its verdict and reasons",
    )
    parser.add_argument(
        "--reference",
        action="append",
        metavar="ID",
        help="resolve an image reference instead: a definition id, a version id (pinned, or"
        " .../versions/latest), or a /SharedGalleries/... or /CommunityGalleries/... id;"
        " needs --region (repeatable)",
    )
    add_output_arguments(parser)


def _run(ctx: Context) -> Answer:
    args = ctx.args
    regions = parse_regions(args.region)
    if args.reference and not regions:
        raise InputError("--reference", "needs --region: a reference is resolved in a region")
    settings = LatestSettings(
        at=ctx.at,
        spec=args.spec,
        end_of_life=args.end_of_life,
        require_replicated=not args.allow_replicating,
        explain=args.explain,
    )
    inventory = load_inventory(ctx)
    if args.reference:
        rows = list(_reference_rows(inventory, args.reference, regions, settings))
    else:
        definitions = find_definitions(inventory, args.definition)
        count = len(definitions) if definitions is not None else None
        with ctx.progress.step("resolving latest", total=count):
            rows = list(
                latest_rows(
                    inventory,
                    settings,
                    definitions=definitions,
                    regions=regions,
                    progress=ctx.progress,
                )
            )
    negative = any(row.version is None for row in rows)
    return Answer(
        command="latest",
        text=lambda: latest_text(rows, settings),
        document=lambda: latest_document(rows, settings),
        columns=_EXPLAIN_COLUMNS if settings.explain else _COLUMNS,
        rows=lambda: latest_records(rows, settings),
        status=EXIT_NEGATIVE if negative else EXIT_OK,
    )


COMMAND: Final = Command(
    name="latest",
    help='which version "latest" gives, per image definition and region, and why',
    description='Which image version "latest" gives in each region of each image definition'
    " (numeric order; exclude-from-latest flags, the regional one winning; only versions whose"
    " replication to the region completed; end of life skipped unless --end-of-life allow), or"
    " why none is eligible. Exit status 1 when some answer is none.",
    examples="""\
  imagegallery latest                                  # the sample inventory
  imagegallery latest -i export.json -d myImage1 -r westeurope
  imagegallery latest -i export.json -d myGallery/myImage1 --spec '~=1.0.0' --explain
  imagegallery latest -i export.json --at 2026-01-01T00:00:00Z --format json
  imagegallery latest -i export.json -r eastus \\
      --reference /subscriptions/.../galleries/myGallery/images/myImage1/versions/1.0.9
  az sig image-version list -g rg -r myGallery -i myImage1 | imagegallery latest -i -""",
    arguments=_arguments,
    run=_run,
)
