"""``imagegallery schema``: the JSON Schema of a command's ``--format json`` output.

Every JSON document the command line writes names its schema in its ``schema`` key
(``imagegallery.latest/1``); the schemas ship with the package, one file per command, and change
their version number when a change could break a reader.

Example:
    >>> from imagegallery.cli import main
    >>> main(["schema"])
    imagegallery.access/1
    imagegallery.cost/1
    imagegallery.diff/1
    imagegallery.inventory/1
    imagegallery.latest/1
    imagegallery.lint/1
    imagegallery.report/1
    imagegallery.validate/1
    imagegallery.what-if/1
    0
"""

from __future__ import annotations

import argparse
from typing import Final

from imagegallery.cli._common import (
    EXIT_OK,
    Answer,
    Command,
    Context,
    InputError,
    schema_name,
    schema_text,
)

__all__ = ["COMMAND", "SCHEMAS"]

SCHEMAS: Final = (
    "access",
    "cost",
    "diff",
    "inventory",
    "latest",
    "lint",
    "report",
    "validate",
    "what-if",
)
"""The commands whose JSON output has a schema."""


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        nargs="?",
        metavar="COMMAND",
        help=f"one of {', '.join(SCHEMAS)}; without it, the schema names are listed",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE")


def _run(ctx: Context) -> Answer:
    name = ctx.args.name
    if name is None:
        text = "\n".join(schema_name(n) for n in SCHEMAS)
    else:
        short = name.removeprefix("imagegallery.").split("/", 1)[0]
        if short not in SCHEMAS:
            raise InputError("COMMAND", f"no schema {name!r}; one of {', '.join(SCHEMAS)}")
        text = schema_text(short).rstrip("\n")
    return Answer(
        command="schema",
        text=lambda: text,
        document=dict,
        columns=(),
        rows=list,
        status=EXIT_OK,
    )


COMMAND: Final = Command(
    name="schema",
    help="the JSON Schema of a command's --format json output",
    description="Prints the JSON Schema (draft 2020-12) that a command's --format json output"
    " follows, or, without a command, the schema names.",
    examples="""\
  imagegallery schema                       # the schema names
  imagegallery schema latest > latest.schema.json""",
    arguments=_arguments,
    run=_run,
)
