"""The command line: ``imagegallery`` (or ``python -m imagegallery``).

Each subcommand answers one question about an inventory: the embedded sample, or the JSON
exports given with ``--input`` (repeatable; ``-`` reads standard input) or as positional files.

``report``     the inventory, the latest version per region, access, cost and quota findings
``inventory``  a table of galleries, image definitions or image versions, with filters
``latest``     which version "latest" gives, per definition and region, and why
``cost``       monthly snapshot storage and one-time egress, by any grouping
``what-if``    what a retention or replication policy changes, saves and costs
``access``     who can see or deploy what, and why (``can``, ``who-can``, ``what-can``,
               ``can-deploy``)
``validate``   constraint, quota and replica-limit findings
``diff``       what a change means: resources, latest moves, broken references, cost, access
``lint``       findings against the documented practice, each with its source and a fix
``schema``     the JSON Schema of a command's ``--format json`` output

Every subcommand has its own ``--help`` with examples, writes an aligned table by default,
``--format json`` (a document naming its schema, ``imagegallery.<command>/1``) or
``--format csv``, to standard output or ``--output FILE``. Exit status: 0 answered, 1 a negative
answer (nothing eligible, "no", nobody, findings at or above ``--fail-on``), 2 bad input or usage
(one line on standard error naming the file and the field).

Each subcommand is one module of this package (its arguments and its rendering); the shared
plumbing is :mod:`imagegallery.cli._common`. The table :data:`_COMMANDS` lists them.

Example:
    >>> from imagegallery.cli import main
    >>> main(["inventory", "--level", "galleries"])  # doctest: +NORMALIZE_WHITESPACE
    GALLERY           SUBSCRIPTION  RESOURCE GROUP  LOCATION    SHARING    DEFINITIONS  VERSIONS
    myGallery         11111111      rg-images       westeurope  Private              3         8
    communityGallery  22222222      rg-shared       eastus      Community            1         1
    sharedGallery     22222222      rg-shared       eastus      Groups               2         4
    0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from typing import IO, Any, Final, NoReturn

from imagegallery.cli._common import (
    EXIT_BAD_INPUT,
    STDIN_OPTIONS,
    Command,
    Context,
    InputError,
    Progress,
    emit,
    parse_at,
    render,
    shorten,
)
from imagegallery.errors import ImageGalleryError
from imagegallery.speed import paused_gc

__all__ = ["main"]

_COMMANDS: Final = {
    "report": "imagegallery.cli._report",
    "inventory": "imagegallery.cli._inventory",
    "latest": "imagegallery.cli._latest",
    "cost": "imagegallery.cli._cost",
    "what-if": "imagegallery.cli._whatif",
    "access": "imagegallery.cli._access",
    "validate": "imagegallery.cli._validate",
    "diff": "imagegallery.cli._diff",
    "lint": "imagegallery.cli._lint",
    "schema": "imagegallery.cli._schema",
}
"""Subcommand → the module holding its ``COMMAND`` (a :class:`~imagegallery.cli._common.Command`),
in the order of the help screen. A new subcommand is one module and one line here."""

_DEFAULT: Final = "report"
_PROG: Final = "imagegallery"


class _UsageError(Exception):
    def __init__(self, prog: str, message: str) -> None:
        self.prog = prog
        super().__init__(message)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (raised, not printed and exited)."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(self.prog, message)


def _version() -> str:
    try:
        return metadata.version("imagegallery")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _commands() -> list[Command]:
    return [importlib.import_module(module).COMMAND for module in _COMMANDS.values()]


def _parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    listing = "\n".join(f"  {c.name:<10} {c.help}" for c in commands)
    parser = _Parser(
        prog=_PROG,
        description="Answers about Azure Compute Gallery inventories: JSON exports (ARM, az"
        " output, Resource Graph results) given with --input, or the embedded sample.",
        epilog=f"commands:\n{listing}\n\n'{_PROG} COMMAND --help' shows a command's options and"
        " examples.\nexit status: 0 answered, 1 negative answer, 2 bad input or usage.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{_PROG} {_version()}")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, title="commands"
    )
    for command in commands:
        child = sub.add_parser(
            command.name,
            help=command.help,
            description=command.description,
            epilog="examples:\n" + command.examples,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.arguments(child)
        child.set_defaults(_command=command)
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    if not argv:
        return [_DEFAULT]
    first = argv[0]
    if first.startswith("-") and first not in ("-h", "--help", "--version"):
        return [_DEFAULT, *argv]
    return argv


def _say(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """After a closed pipe: point standard output at the null device so that the interpreter's
    final flush does not complain."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None, *, stdin: IO[Any] | None = None) -> int:
    """Run the command line; returns the exit status (0 answered, 1 negative, 2 bad input).

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
        stdin: What ``--input -`` reads (default: standard input).

    Example:
        >>> main(["inventory", "--input", "/no/such/file.json"])
        2
    """
    given = list(sys.argv[1:] if argv is None else argv)
    try:
        commands = _commands()
        parser = _parser(commands)
        try:
            args, extra = parser.parse_known_args(_with_default_command(given))
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else 0
        if extra:
            where = " ".join(
                [_PROG, args.command, *([args.question] if getattr(args, "question", None) else [])]
            )
            raise _UsageError(where, f"unrecognized arguments: {' '.join(extra)}")
        command: Command = args._command
        moment = parse_at(getattr(args, "at", None))
        ctx = Context(
            args=args,
            progress=Progress(sys.stderr, getattr(args, "progress", "auto")),
            at=moment if moment is not None else datetime.now(UTC),
            stdin=stdin,
        )
        ctx.check_stdin(STDIN_OPTIONS)
        # The inventory is millions of small acyclic objects: full collections during the
        # computation would traverse them all again for nothing (twice the time at 100,000
        # versions), so the collector is paused while the command runs.
        with paused_gc():
            answer = command.run(ctx)
            text = render(answer, getattr(args, "format", "text"))
        emit(text, getattr(args, "output", None))
        return answer.status
    except _UsageError as err:
        _say(f"{err.prog}: error: {shorten(str(err), 400)} (see '{err.prog} --help')")
    except InputError as err:
        _say(f"{_PROG}: error: {shorten(str(err), 600)}")
    except ImageGalleryError as err:
        _say(f"{_PROG}: error: {shorten(str(err), 600)}")
    except BrokenPipeError:
        _silence_stdout()
    except KeyboardInterrupt:
        _say(f"{_PROG}: interrupted")
        return 130
    except RecursionError:
        _say(f"{_PROG}: error: the input is nested too deeply")
    except MemoryError:
        _say(f"{_PROG}: error: out of memory")
    except Exception as err:
        if os.environ.get("IMAGEGALLERY_TRACEBACK"):
            raise
        _say(
            f"{_PROG}: internal error: {type(err).__name__}: {shorten(str(err), 300)}"
            " (please report it; IMAGEGALLERY_TRACEBACK=1 shows where)"
        )
    return EXIT_BAD_INPUT
