"""What every subcommand shares: inputs, output formats, exit codes, progress and errors.

A subcommand is a :class:`Command`: its name, help text and examples, a function that adds its
arguments to an :mod:`argparse` parser, and a function that answers the question as an
:class:`Answer`. The answer is rendered in the format asked for (an aligned table or text, a JSON
document with a versioned ``schema`` name, or CSV rows) and written to standard output or
``--output``; its ``status`` is the exit status.

Exit statuses: ``0`` answered; ``1`` the answer is negative (no eligible version, "no", nobody,
findings at or above ``--fail-on``); ``2`` bad input or usage, with one line on standard error
naming the file (or option) and the field.

Example:
    >>> print("\\n".join(table(["NAME", "COUNT"], [["a", "1"], ["bb", "22"]], right={1})))
    NAME  COUNT
    a         1
    bb       22
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import IO, Any, Final

import attrs

from imagegallery.arm import load_arm
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    ImageGalleryError,
    InvalidFieldError,
    MalformedJsonError,
    NaiveDatetimeError,
    UnsupportedResourceTypeError,
)
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory
from imagegallery.regions import normalize_region
from imagegallery.sample import sample_inventory

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_NEGATIVE",
    "EXIT_OK",
    "FORMATS",
    "STDIN_OPTIONS",
    "Answer",
    "Command",
    "Context",
    "InputError",
    "Progress",
    "add_at_argument",
    "add_input_arguments",
    "add_output_arguments",
    "build_inventory",
    "decimal_text",
    "emit",
    "find_definitions",
    "find_resource",
    "json_value",
    "load_inventory",
    "money",
    "parse_at",
    "parse_regions",
    "read_inputs",
    "read_json",
    "render",
    "schema_name",
    "schema_text",
    "shorten",
    "table",
]

EXIT_OK: Final = 0
"""The question was answered."""
EXIT_NEGATIVE: Final = 1
"""A negative answer: nothing eligible, "no", nobody, or findings at ``--fail-on``."""
EXIT_BAD_INPUT: Final = 2
"""Bad input or usage (one line on standard error), or the output could not be written."""

FORMATS: Final = ("text", "json", "csv")
"""The output formats."""

_MAX_SHOWN: Final = 120
_CENT: Final = Decimal("0.01")
_SCHEMA_VERSION: Final = 1


class InputError(ImageGalleryError, ValueError):
    """Bad input, named by where it came from (a file, ``<stdin>`` or an option).

    Attributes:
        source: The file name, ``<stdin>``, or the option (``--at``).
        detail: What is wrong, with the field path inside the source when there is one.

    Example:
        >>> print(InputError("export.json", "[3].location: expected a string (got 5)"))
        export.json: [3].location: expected a string (got 5)
    """

    def __init__(self, source: str, detail: str) -> None:
        self.source = source
        self.detail = detail
        super().__init__(f"{source}: {detail}" if source else detail)


def shorten(text: str, limit: int = _MAX_SHOWN) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis.

    Example:
        >>> shorten("a\\nb" + "c" * 200, 10)
        'a bcccc...'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# -- time, regions ---------------------------------------------------------------------------


def parse_at(text: str | None, option: str = "--at") -> datetime | None:
    """An ISO 8601 moment with a UTC offset (``Z`` or ``+01:00``); a date means midnight UTC.

    Raises:
        InputError: Not ISO 8601, or no UTC offset (the library never guesses a time zone).

    Example:
        >>> parse_at("2025-03-01T12:00:00Z").isoformat()
        '2025-03-01T12:00:00+00:00'
        >>> parse_at("2025-03-01").isoformat()
        '2025-03-01T00:00:00+00:00'
        >>> parse_at("2025-03-01T12:00:00")
        Traceback (most recent call last):
        ...
        imagegallery.cli._common.InputError: --at: has no UTC offset; ...
    """
    if text is None:
        return None
    cleaned = text.strip()
    try:
        if len(cleaned) == 10:
            cleaned += "T00:00:00Z"
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise InputError(
            option, f"not an ISO 8601 date-time such as 2025-03-01T00:00:00Z (got {text!r})"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        error = NaiveDatetimeError(
            "has no UTC offset; add Z or +HH:MM (the library never guesses a time zone)",
            value=text,
        )
        raise InputError(option, str(error))
    return moment


def parse_regions(values: Sequence[str] | None, option: str = "--region") -> tuple[str, ...]:
    """Region names (repeatable, or comma-separated) in ARM form, without duplicates.

    Example:
        >>> parse_regions(["West Europe, eastus", "westeurope"])
        ('westeurope', 'eastus')
    """
    out: dict[str, None] = {}
    for value in values or ():
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                out[normalize_region(part.strip())] = None
            except InvalidFieldError as err:
                raise InputError(option, err.reason + f" (got {part.strip()!r})") from None
    return tuple(out)


# -- reading inputs --------------------------------------------------------------------------


def _display(path: str) -> str:
    return "<stdin>" if path == "-" else path


def read_json(
    path: str, *, stdin: IO[Any] | None = None, parse_float: Callable[[str], Any] | None = None
) -> Any:
    """The parsed JSON of a file (``-``: standard input), or an :class:`InputError` naming it.

    ``parse_float`` reads numbers with a fraction (``decimal.Decimal`` for exact prices).

    Example:
        >>> read_json("/no/such/file.json")
        Traceback (most recent call last):
        ...
        imagegallery.cli._common.InputError: /no/such/file.json: cannot read the file: No such ...
    """
    name = _display(path)
    try:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin
            raw: Any = getattr(stream, "buffer", stream).read()
        else:
            raw = Path(path).read_bytes()
    except OSError as err:
        raise InputError(name, f"cannot read the file: {err.strerror or err}") from None
    if isinstance(raw, bytes) and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return json.loads(raw, parse_float=parse_float)
    except json.JSONDecodeError as err:
        near = err.doc[max(0, err.pos - 20) : err.pos + 20]
        detail = MalformedJsonError(
            f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}",
            value=shorten(near, 40),
        )
        raise InputError(name, str(detail)) from None
    except UnicodeDecodeError as err:
        raise InputError(name, f"not valid UTF-8 JSON: {err.reason}") from None
    except RecursionError:
        raise InputError(name, "not readable: the JSON is nested too deeply") from None


_ACCESS_TYPES: Final = {
    "microsoft.authorization/roleassignments": "--role-assignments",
    "microsoft.authorization/roledefinitions": "--role-definitions",
    "microsoft.authorization/denyassignments": "--deny-assignments",
}


def _hint(error: ImageGalleryError) -> str:
    if isinstance(error, UnsupportedResourceTypeError) and isinstance(error.value, str):
        option = _ACCESS_TYPES.get(error.value.lower())
        if option is not None:
            return f"; this is access data: give it with {option}"
    return ""


def _load(documents: Sequence[Any]) -> Inventory:
    return load_arm(*documents)


def _culprit(names: Sequence[str], documents: Sequence[Any]) -> InputError:
    """Which file makes loading fail: first each file alone, then the files in order."""
    for name, document in zip(names, documents, strict=True):
        try:
            _load([document])
        except ImageGalleryError as err:
            return InputError(name, str(err) + _hint(err))
    for count in range(2, len(documents) + 1):
        try:
            _load(documents[:count])
        except ImageGalleryError as err:
            return InputError(
                names[count - 1], f"{err} (together with {', '.join(names[: count - 1])})"
            )
    return InputError(", ".join(names), "the files cannot be loaded together")


def read_inputs(ctx: Context) -> list[tuple[str, Any]]:
    """``(name, parsed JSON)`` of each ``--input`` and positional file, in order.

    A JSON document that is neither an object nor an array is refused (a JSON string is never
    taken for a path).
    """
    out: list[tuple[str, Any]] = []
    for path in ctx.input_paths:
        name = _display(path)
        with ctx.progress.step(f"reading {name}{_size(path)}"):
            document = read_json(path, stdin=ctx.stdin)
        if not isinstance(document, dict | list):
            raise InputError(
                name,
                "expected a JSON object or array of gallery resources"
                f" (got a JSON {type(document).__name__})",
            )
        out.append((name, document))
    return out


def build_inventory(ctx: Context, inputs: Sequence[tuple[str, Any]]) -> Inventory:
    """Load parsed inputs together with :func:`imagegallery.load_arm`; an error names the file
    (the first that fails alone, or that fails together with the ones before it)."""
    names = [name for name, _ in inputs]
    documents = [document for _, document in inputs]
    with ctx.progress.step("building the inventory"):
        try:
            return _load(documents)
        except ImageGalleryError as err:
            if len(documents) == 1:
                raise InputError(names[0], str(err) + _hint(err)) from None
        except RecursionError:
            raise InputError(", ".join(names), "a value is nested too deeply") from None
    raise _culprit(names, documents)


def load_inventory(ctx: Context) -> Inventory:
    """The inventory of ``--input`` files and positional files, or the embedded sample.

    Each file is read as JSON (a JSON string is never taken for a path), then all are loaded
    together with :func:`imagegallery.load_arm`; an error names the file and the field.
    """
    if not ctx.input_paths:
        return sample_inventory()
    return build_inventory(ctx, read_inputs(ctx))


def _size(path: str) -> str:
    if path == "-":
        return ""
    try:
        size = os.stat(path).st_size
    except OSError:
        return ""
    return f" ({size / 1e6:.1f} MB)" if size >= 1e6 else ""


# -- finding things in the inventory -------------------------------------------------------------


def _segments(text: str) -> list[str]:
    return [part for part in text.strip().split("/") if part]


def find_definitions(
    inventory: Inventory, texts: Sequence[str] | None, option: str = "--definition"
) -> list[ImageDefinition] | None:
    """The definitions ``texts`` name: ids, ``gallery/definition`` or ``definition`` (any case).

    ``None`` when no text is given (no filter). A name matching nothing is an error; a name may
    match several definitions (one name in several galleries).

    Example:
        >>> from imagegallery import sample_inventory
        >>> [d.name for d in find_definitions(sample_inventory(), ["myGallery/MYIMAGE2"])]
        ['myImage2']
    """
    if not texts:
        return None
    found: dict[ResourceId, ImageDefinition] = {}
    for text in texts:
        matches = _match_definitions(inventory, text, option)
        if not matches:
            raise InputError(option, f"no image definition {text!r} in the inventory")
        found.update((d.id, d) for d in matches)
    return list(found.values())


def _match_definitions(inventory: Inventory, text: str, option: str) -> list[ImageDefinition]:
    if text.startswith("/"):
        rid = _parse_id(text, option)
        if rid.kind is not ResourceKind.IMAGE_DEFINITION:
            raise InputError(option, f"not an image definition id (got {shorten(text, 60)!r})")
        entity = inventory.get(rid)
        return [entity] if isinstance(entity, ImageDefinition) else []
    parts = [p.lower() for p in _segments(text)]
    if len(parts) == 1:
        return [d for d in inventory.definitions() if d.name.lower() == parts[0]]
    if len(parts) == 2:
        return [
            d
            for d in inventory.definitions()
            if d.name.lower() == parts[1] and (d.id.gallery or "").lower() == parts[0]
        ]
    raise InputError(option, f"expected an id, GALLERY/DEFINITION or DEFINITION (got {text!r})")


def _parse_id(text: str, option: str) -> ResourceId:
    try:
        return ResourceId.parse(text)
    except InvalidFieldError as err:
        raise InputError(option, err.reason + f" (got {shorten(text, 60)!r})") from None


def find_resource(inventory: Inventory, text: str, option: str) -> ResourceId:
    """A resource id from an id (any scope, or a shared/community proxy id) or a short name
    ``GALLERY[/DEFINITION[/VERSION]]`` of a resource in the inventory.

    Example:
        >>> from imagegallery import sample_inventory
        >>> find_resource(sample_inventory(), "myGallery/myImage1/1.0.9", "RESOURCE").version
        '1.0.9'
    """
    if text.startswith("/"):
        return _parse_id(text, option)
    parts = [p.lower() for p in _segments(text)]
    if not 1 <= len(parts) <= 3:
        raise InputError(
            option, f"expected an id or GALLERY[/DEFINITION[/VERSION]] (got {shorten(text, 60)!r})"
        )
    matches: list[ResourceId] = []
    for gallery in inventory.galleries():
        if gallery.name.lower() != parts[0]:
            continue
        if len(parts) == 1:
            matches.append(gallery.id)
            continue
        definition = gallery.definitions.get(parts[1])
        if definition is None:
            continue
        if len(parts) == 2:
            matches.append(definition.id)
            continue
        version = definition.versions.get(parts[2])
        if version is not None:
            matches.append(version.id)
    if not matches:
        raise InputError(option, f"no resource {text!r} in the inventory")
    if len(matches) > 1:
        raise InputError(
            option, f"{text!r} names {len(matches)} resources; give the full id of one of them"
        )
    return matches[0]


# -- values in machine formats -------------------------------------------------------------------


def decimal_text(amount: Decimal) -> str:
    """An exact amount as plain decimal text (never exponent notation).

    Example:
        >>> decimal_text(Decimal("1E+1")), decimal_text(Decimal("0.4250"))
        ('10', '0.4250')
    """
    return format(amount, "f")


def money(amount: Decimal) -> str:
    """An amount rounded to cents with thousands separators, for tables.

    Example:
        >>> money(Decimal("1234.565"))
        '1,234.57'
    """
    return f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):,}"


def json_value(value: Any) -> Any:
    """A value as JSON: ids and names as text, exact amounts as decimal text, moments in ISO.

    Example:
        >>> json_value(Decimal("0.850")), json_value(None), json_value(("a", 1))
        ('0.850', None, ['a', 1])
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return str(value)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(_csv_value(v) for v in value)
    converted = json_value(value)
    return converted if isinstance(converted, str) else str(converted)


def schema_name(command: str) -> str:
    """The schema name a command's JSON document carries.

    Example:
        >>> schema_name("latest")
        'imagegallery.latest/1'
    """
    return f"imagegallery.{command}/{_SCHEMA_VERSION}"


def schema_text(command: str) -> str:
    """The JSON Schema (text) of a command's JSON output, shipped with the package."""
    files = resources.files("imagegallery.cli") / "schemas" / f"{command}-{_SCHEMA_VERSION}.json"
    return files.read_text(encoding="utf-8")


# -- rendering -----------------------------------------------------------------------------------


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, right: Collection[int] = ()
) -> list[str]:
    """An aligned table: headers, then one line per row; ``right`` columns are right-aligned.

    The last column is not padded, so no line ends in spaces.
    """
    body = [list(row) for row in rows]
    widths = [len(h) for h in headers]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    last = len(headers) - 1

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            if i in right:
                parts.append(cell.rjust(widths[i]))
            elif i == last:
                parts.append(cell)
            else:
                parts.append(cell.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    return [line(headers), *(line(row) for row in body)]


@attrs.frozen
class Answer:
    """A command's answer, ready to render in any format.

    Attributes:
        command: The command (its JSON schema is ``imagegallery.<command>/1``).
        text: The text rendering (lines joined by newlines, no trailing newline).
        document: The JSON document without the ``schema`` key (added when rendering).
        columns: The CSV columns.
        rows: The CSV rows (mappings of column to value; missing columns are empty).
        status: The exit status.
    """

    command: str
    text: Callable[[], str]
    document: Callable[[], dict[str, Any]]
    columns: Sequence[str]
    rows: Callable[[], Iterable[Mapping[str, Any]]]
    status: int = EXIT_OK


def render(answer: Answer, fmt: str) -> str:
    """The answer in ``fmt`` (``text``, ``json`` or ``csv``), ending in a newline."""
    if fmt == "json":
        document = {"schema": schema_name(answer.command), **answer.document()}
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = list(answer.columns)
        writer.writerow(columns)
        # Most cells are text, numbers, booleans or empty: those are written without a call.
        words = {None: "", True: "true", False: "false"}
        writer.writerows(
            [
                value
                if value.__class__ is str or value.__class__ is int
                else words[value]
                if value is None or value.__class__ is bool
                else _csv_value(value)
                for value in map(row.get, columns)
            ]
            for row in answer.rows()
        )
        return buffer.getvalue()
    text = answer.text()
    return text + "\n" if text else ""


def emit(text: str, output: str | None, stdout: IO[str] | None = None) -> None:
    """Write ``text`` to ``output`` (a file; ``-`` or ``None``: standard output).

    Raises:
        InputError: The file cannot be written.
        BrokenPipeError: Standard output was closed (``| head``); the caller ends quietly.
    """
    if output is None or output == "-":
        stream = stdout if stdout is not None else sys.stdout
        stream.write(text)
        stream.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as err:
        raise InputError("--output", f"cannot write {output}: {err.strerror or err}") from None


# -- progress ------------------------------------------------------------------------------------


class Progress:
    """A one-line progress display on standard error for the slow steps of a command.

    On a terminal, a step that lasts longer than a moment shows ``label ... 3.2 s`` (and
    ``n/total`` when counted), redrawn in place and erased when the step ends. When asked for
    (``--progress``) but not on a terminal, each finished step is logged as one line. Otherwise
    (the default off a terminal, and with ``--quiet``) nothing is written.

    Example:
        >>> import io
        >>> stream = io.StringIO()
        >>> progress = Progress(stream, "on")
        >>> with progress.step("pricing"):
        ...     pass
        >>> stream.getvalue().startswith("imagegallery: pricing: ")
        True
    """

    _DELAY: Final = 0.3
    _INTERVAL: Final = 0.1

    def __init__(self, stream: IO[str], mode: str = "auto") -> None:
        tty = bool(getattr(stream, "isatty", lambda: False)())
        self._stream = stream
        self._enabled = mode == "on" or (mode == "auto" and tty)
        self._live = self._enabled and tty
        self._done = 0
        self._total: int | None = None

    @property
    def enabled(self) -> bool:
        """Whether anything is shown."""
        return self._enabled

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more items done in the current step."""
        self._done += count

    @contextlib.contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[None]:
        """Show ``label`` while the block runs."""
        if not self._enabled:
            yield
            return
        self._done, self._total = 0, total
        start = time.perf_counter()
        stop = threading.Event()
        drawer = None
        if self._live:
            drawer = threading.Thread(target=self._draw, args=(label, start, stop), daemon=True)
            drawer.start()
        try:
            yield
        finally:
            stop.set()
            if drawer is not None:
                drawer.join()
                self._write("\r\x1b[K")
            else:
                elapsed = time.perf_counter() - start
                self._write(f"imagegallery: {label}: {elapsed:.1f} s\n")

    def _draw(self, label: str, start: float, stop: threading.Event) -> None:
        if stop.wait(self._DELAY):
            return
        while not stop.is_set():
            count = f" {self._done:,}/{self._total:,}" if self._total else ""
            elapsed = time.perf_counter() - start
            self._write(f"\r\x1b[K{label}{count} ... {elapsed:.1f} s")
            stop.wait(self._INTERVAL)

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)
            self._stream.flush()


# -- commands --------------------------------------------------------------------------------------


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


STDIN_OPTIONS: Final = {
    "input": "--input",
    "files": "FILE",
    "prices": "--prices",
    "used_sizes": "--used-sizes",
    "role_assignments": "--role-assignments",
    "role_definitions": "--role-definitions",
    "deny_assignments": "--deny-assignments",
    "memberships": "--memberships",
    "directory": "--directory",
    "management_groups": "--management-groups",
    "subscriptions": "--subscriptions",
    "old": "OLD",
    "new": "NEW",
    "config": "--config",
}
"""The options that read files, any of which may be ``-`` (standard input)."""


@attrs.frozen
class Context:
    """What a command runs with: its parsed arguments, standard input and the progress display."""

    args: argparse.Namespace
    progress: Progress
    at: datetime
    stdin: IO[Any] | None = None

    def check_stdin(self, options: Mapping[str, str]) -> None:
        """Standard input (``-``) may be given to one option only (``options``: destination →
        option name)."""
        readers = [
            option
            for dest, option in options.items()
            for value in _as_list(getattr(self.args, dest, None))
            if value == "-"
        ]
        if len(readers) > 1:
            raise InputError(
                readers[1],
                f"standard input ('-') can be read only once (it is already read by {readers[0]})",
            )

    @property
    def input_paths(self) -> list[str]:
        """``--input`` files, then positional files, in the order given."""
        given = list(getattr(self.args, "input", None) or ())
        given += list(getattr(self.args, "files", None) or ())
        return given


@attrs.frozen
class Command:
    """A subcommand: how it is called, and how it answers.

    Attributes:
        name: The subcommand (``latest``).
        help: One line for the list of subcommands.
        description: The paragraph at the top of its ``--help``.
        examples: Example calls, shown at the end of its ``--help``.
        arguments: Adds its arguments to its parser.
        run: Answers the question.
    """

    name: str
    help: str
    description: str
    examples: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Context], Answer]


def add_at_argument(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """``--at``: the moment of the question."""
    parser.add_argument(
        "--at",
        metavar="ISO8601",
        default=argparse.SUPPRESS if suppress else None,
        help="the moment to answer at, with a UTC offset (2025-03-01T00:00:00Z, or a date:"
        " midnight UTC); default: now",
    )


def add_input_arguments(
    parser: argparse.ArgumentParser, *, positional: bool = True, suppress: bool = False
) -> None:
    """``--input``/``-i`` (repeatable; ``-`` is standard input) and, with ``positional``,
    input files as positional arguments; ``--at``."""
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--input",
        "-i",
        action="append",
        metavar="FILE",
        default=default,
        help="a JSON export of galleries, image definitions and versions (ARM, az output,"
        " Resource Graph results); repeatable; '-' reads standard input. Without inputs,"
        " the embedded sample inventory is used",
    )
    if positional:
        parser.add_argument("files", nargs="*", metavar="FILE", help="more input files")
    add_at_argument(parser, suppress=suppress)


def add_output_arguments(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """``--format``, ``--output``, ``--quiet``, ``--progress``."""
    default: Any = argparse.SUPPRESS
    parser.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default=default if suppress else "text",
        help="text (aligned tables, the default), json (a versioned document; see"
        " 'imagegallery schema') or csv",
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default=default if suppress else None,
        help="write to FILE instead of standard output",
    )
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--quiet",
        "-q",
        dest="progress",
        action="store_const",
        const="off",
        default=default if suppress else "auto",
        help="never show progress",
    )
    shown.add_argument(
        "--progress",
        dest="progress",
        action="store_const",
        const="on",
        default=default if suppress else "auto",
        help="show progress on standard error even when it is not a terminal"
        " (default: only on a terminal)",
    )
