"""``imagegallery lint INPUT``: where an inventory departs from the documented practice.

Every rule of :data:`imagegallery.review.RULES` (or those of ``--rules``) runs through
:func:`imagegallery.review.lint`; each finding has its rule, severity, resource, the source of the
rule and a fix hint. ``--config`` reads a JSON or TOML file in the shape of
:meth:`imagegallery.review.LintConfig.from_mapping` (production and test images, expected load,
thresholds, ignored rules and severities). The rules about sharing need access data: the sample's
on the sample, your exports otherwise. Exit status 1 when a finding is at or above ``--fail-on``
(default: error).

Example:
    >>> from imagegallery.cli import main
    >>> main(["lint", "--rules", "shallow-replication", "--at", "2025-07-01"])
    ... # doctest: +NORMALIZE_WHITESPACE
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
    0
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from typing import Any, Final

from imagegallery.cli._access import add_access_arguments, load_access
from imagegallery.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Answer,
    Command,
    Context,
    InputError,
    add_input_arguments,
    add_output_arguments,
    load_inventory,
    read_json,
)
from imagegallery.cli._review import render_lint, render_rules
from imagegallery.errors import ImageGalleryError
from imagegallery.review import LINT_RECORD_COLUMNS, LintConfig, lint

__all__ = ["COMMAND"]

_SEVERITIES: Final = ("error", "warning", "info", "never")


def _config(ctx: Context, path: str | None) -> LintConfig | None:
    if path is None:
        return None
    name = "<stdin>" if path == "-" else path
    if path.lower().endswith(".toml"):
        try:
            data: Any = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as err:
            raise InputError(name, f"cannot read the file: {err.strerror or err}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise InputError(name, f"not valid TOML: {err}") from None
    else:
        data = read_json(path, stdin=ctx.stdin)
    if not isinstance(data, dict):
        raise InputError(name, "a lint configuration is a JSON object or a TOML table")
    try:
        return LintConfig.from_mapping(data)
    except ImageGalleryError as err:
        raise InputError(name, str(err)) from None


def _rules(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser)
    parser.add_argument(
        "--rules",
        action="append",
        metavar="ID[,ID...]",
        help="run only these rules (repeatable or comma-separated; see --list-rules)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="a JSON or TOML configuration: select, ignore, severity, production and test"
        " images, rule options",
    )
    parser.add_argument(
        "--fail-on",
        choices=_SEVERITIES,
        default="error",
        help="exit with status 1 when a finding is at least this severe (default: error)",
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="list the rules with their severity and exit"
    )
    add_access_arguments(parser, questions=False)
    add_output_arguments(parser)


def _run(ctx: Context) -> Answer:
    args = ctx.args
    if args.list_rules:
        text = render_rules()
        return Answer(command="lint", text=lambda: text, document=dict, columns=(), rows=list)
    config = _config(ctx, args.config)
    inventory = load_inventory(ctx)
    access = load_access(ctx, inventory)
    with ctx.progress.step("linting"):
        report = lint(
            inventory,
            at=ctx.at,
            rules=_rules(args.rules),
            config=config,
            access=access.model if access is not None else None,
        )
    failing = args.fail_on != "never" and report.fails_on(args.fail_on)
    return Answer(
        command="lint",
        text=lambda: render_lint(report),
        document=report.to_json_dict,
        columns=LINT_RECORD_COLUMNS,
        rows=report.to_records,
        status=EXIT_NEGATIVE if failing else EXIT_OK,
    )


COMMAND: Final = Command(
    name="lint",
    help="findings against the documented practice, each with its source and a fix",
    description="Checks an inventory against the practice the product documents describe:"
    " replicas, end of life, exclusions that leave a region without latest, replication, sharing"
    " and quotas, each finding with its rule, severity, source and how to fix it.",
    examples="""\
  imagegallery lint                                   # the sample inventory
  imagegallery lint export.json --fail-on warning
  imagegallery lint export.json --config lint.toml --format csv -o findings.csv
  imagegallery lint export.json --rules no-eligible-latest,replication-failed
  imagegallery lint --list-rules""",
    arguments=_arguments,
    run=_run,
)
