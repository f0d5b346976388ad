"""``imagegallery diff OLD NEW``: what a change to an inventory means before it ships.

Both exports are compared with :func:`imagegallery.review.diff`: resources added, removed and
changed (each property at its ARM path), every (definition, region) whose "latest" moves and
why, image references in use that break (``--reference ID --region R``), the cost delta, and,
with access exports, who gains or loses read on what "latest" gives. The text comes from
:mod:`imagegallery.cli._review`; JSON and CSV from the diff's ``to_json_dict()`` and
``to_records()``. ``--fail-on`` turns a change, a moved latest or a broken reference into exit
status 1.

Example:
    >>> from imagegallery.cli import main
    >>> main(["diff", "--help"])  # doctest: +ELLIPSIS
    usage: imagegallery diff [-h] ...
    0
"""

from __future__ import annotations

import argparse
from typing import Any, Final

from imagegallery.cli._access import access_given, add_access_arguments, read_access
from imagegallery.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Answer,
    Command,
    Context,
    InputError,
    add_at_argument,
    add_output_arguments,
    build_inventory,
    parse_regions,
    read_json,
)
from imagegallery.cli._cost import read_prices
from imagegallery.cli._review import render_diff
from imagegallery.errors import InvalidFieldError, InvalidImageReferenceError
from imagegallery.inventory import Inventory
from imagegallery.review import DIFF_FAIL_CONDITIONS, DIFF_RECORD_COLUMNS, diff

__all__ = ["COMMAND"]


def _inventory(ctx: Context, path: str) -> Inventory:
    name = "<stdin>" if path == "-" else path
    with ctx.progress.step(f"reading {name}"):
        document = read_json(path, stdin=ctx.stdin)
    if not isinstance(document, dict | list):
        raise InputError(
            name,
            "expected a JSON object or array of gallery resources"
            f" (got a JSON {type(document).__name__})",
        )
    return build_inventory(ctx, [(name, document)])


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the export before the change ('-': stdin)")
    parser.add_argument("new", metavar="NEW", help="the export after the change ('-': stdin)")
    add_at_argument(parser)
    parser.add_argument(
        "--prices", action="extend", nargs="+", metavar="FILE", help="as for 'cost'"
    )
    parser.add_argument(
        "--reference",
        action="append",
        metavar="ID",
        help="an image reference in use (definition id, pinned version id, .../versions/latest,"
        " shared or community id), checked in each --region (repeatable)",
    )
    parser.add_argument(
        "--region",
        "-r",
        action="append",
        metavar="REGION",
        help="the deployment regions that matter: references are resolved there, and"
        " --fail-on latest-moved and reference-broken count only them (repeatable)",
    )
    parser.add_argument(
        "--fail-on",
        action="append",
        choices=DIFF_FAIL_CONDITIONS,
        help="exit with status 1 when anything changed, latest moved, or a reference broke"
        " (repeatable)",
    )
    add_access_arguments(parser, questions=False)
    add_output_arguments(parser)


def _run(ctx: Context) -> Answer:
    args = ctx.args
    regions = parse_regions(args.region)
    if args.reference and not regions:
        raise InputError("--reference", "needs --region: a reference is resolved in a region")
    prices = read_prices(args.prices or (), ctx)
    old = _inventory(ctx, args.old)
    new = _inventory(ctx, args.new)
    access: Any = None
    if access_given(ctx):
        subscriptions = sorted({*old.subscriptions(), *new.subscriptions()})
        access = read_access(ctx, subscriptions).model
    references = [(ref, region) for ref in args.reference or () for region in regions]
    with ctx.progress.step("comparing"):
        try:
            result = diff(old, new, at=ctx.at, prices=prices, access=access, references=references)
        except InvalidImageReferenceError as err:
            raise InputError("--reference", str(err)) from None
        except InvalidFieldError as err:
            if not (err.field or "").startswith("references"):
                raise
            raise InputError("--reference", str(err)) from None
    failing = any(
        result.fails_on(condition, regions=regions or None) for condition in args.fail_on or ()
    )
    return Answer(
        command="diff",
        text=lambda: render_diff(result),
        document=result.to_json_dict,
        columns=DIFF_RECORD_COLUMNS,
        rows=result.to_records,
        status=EXIT_NEGATIVE if failing else EXIT_OK,
    )


COMMAND: Final = Command(
    name="diff",
    help="what a change means: resources, latest moves, broken references, cost and access",
    description="Compares two exports of the same galleries (today's and the one a pipeline is"
    " about to create): resources and properties added, removed and changed, every"
    " (definition, region) whose latest moves and why, references in use that break, the cost"
    " delta, and with access exports who gains or loses read on latest.",
    examples="""\
  imagegallery diff today.json tomorrow.json
  imagegallery diff today.json tomorrow.json --fail-on latest-moved -r westeurope -r eastus
  imagegallery diff today.json tomorrow.json -r eastus \\
      --reference /subscriptions/SUB/.../galleries/g/images/app/versions/1.4.2 \\
      --fail-on reference-broken --format json
  imagegallery diff today.json tomorrow.json --role-assignments ra.json --format csv""",
    arguments=_arguments,
    run=_run,
)
