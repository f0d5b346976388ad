"""Compact, escaped HTML tables for notebook display (``_repr_html_``).

Every text that reaches the page goes through :func:`html.escape`: names, tags and descriptions
come from user data, and a notebook renders whatever HTML it is given. Tables are plain
``<table>`` elements with a caption, styled by the notebook (JupyterLab, VS Code, nbconvert), and
cut after :data:`MAX_ROWS` rows with a note of how many were left out.

Example:
    >>> print(table(("name", "tag"), [("a", "<b>"), ("c", None)], caption="Two & more"))
    <table><caption>Two &amp; more</caption><thead><tr><th>name</th><th>tag</th></tr></thead><tbody><tr><td>a</td><td>&lt;b&gt;</td></tr><tr><td>c</td><td></td></tr></tbody></table>
"""  # noqa: E501

from __future__ import annotations

import enum
import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

__all__ = ["MAX_ROWS", "block", "cell", "count", "fields", "table", "text"]

MAX_ROWS: Final = 20
"""Rows shown before a table is cut."""


def text(value: Any) -> str:
    """The display text of a value: ``""`` for ``None``, ``yes``/``no``, ISO dates, enum values.

    Example:
        >>> from datetime import UTC, datetime
        >>> text(None), text(True), text(datetime(2025, 1, 2, tzinfo=UTC)), text(("a", "b"))
        ('', 'yes', '2025-01-02 00:00 UTC', 'a, b')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is not None and not offset:
            return value.strftime("%Y-%m-%d %H:%M UTC")
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, tuple | list | frozenset | set):
        return ", ".join(text(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={text(v)}" for k, v in value.items())
    return str(value)


def cell(value: Any) -> str:
    """:func:`text`, escaped."""
    return html.escape(text(value))


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str | None = None,
    total: int | None = None,
    max_rows: int = MAX_ROWS,
) -> str:
    """An HTML table of ``rows`` under ``header``; at most ``max_rows`` rows are shown.

    Args:
        header: The column titles.
        rows: The rows (only the first ``max_rows`` are read).
        caption: The caption, if any.
        total: The number of rows in all, when ``rows`` is a lazy iterable that is cut
            upstream; counted from ``rows`` otherwise.
        max_rows: How many rows to show.
    """
    shown: list[str] = []
    count = 0
    for row in rows:
        count += 1
        if count <= max_rows:
            shown.append("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>")
        elif total is not None:
            break
    hidden = (total if total is not None else count) - len(shown)
    if hidden > 0:
        shown.append(
            f'<tr><td colspan="{len(header)}">… {hidden:,} more row{"s" if hidden > 1 else ""}'
            "</td></tr>"
        )
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{''.join(shown)}</tbody></table>"


def fields(pairs: Iterable[tuple[str, Any]], *, caption: str | None = None) -> str:
    """A two-column table of (name, value) pairs; pairs whose value is ``None`` are left out.

    Example:
        >>> fields([("id", "/x"), ("description", None)])
        '<table><tbody><tr><th>id</th><td>/x</td></tr></tbody></table>'
    """
    body = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{cell(value)}</td></tr>"
        for name, value in pairs
        if value is not None
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<tbody>{body}</tbody></table>"


def block(*parts: str) -> str:
    """Several tables (already escaped) as one block."""
    return '<div class="imagegallery">' + "".join(parts) + "</div>"


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` with the noun in the right form.

    Example:
        >>> count(1, "gallery", "galleries"), count(20000, "image version")
        ('1 gallery', '20,000 image versions')
    """
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"
