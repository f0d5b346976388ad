"""Notebook display: compact tables, with every text from the data escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from imagegallery import Inventory, load_arm, sample_inventory
from imagegallery._html import MAX_ROWS, cell, fields, table
from imagegallery.access import VERSION_READ, AccessModel, Principal, RoleAssignment
from imagegallery.costs import estimate_cost
from imagegallery.planning import KeepLatest, what_if
from imagegallery.resolve import explain_latest

AT = datetime(2025, 3, 1, tzinfo=UTC)
EVIL = '<script>alert("x")</script>'
BASE = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.add(tag)


def _tags(html: str) -> set[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def evil_inventory() -> Inventory:
    return load_arm(
        [
            {
                "id": BASE,
                "type": "Microsoft.Compute/galleries",
                "location": "westeurope",
                "tags": {"owner": EVIL},
                "properties": {"description": EVIL},
            },
            {
                "id": f"{BASE}/images/img",
                "type": "Microsoft.Compute/galleries/images",
                "location": "westeurope",
                "tags": {EVIL: "value"},
                "properties": {
                    "osType": "Linux",
                    "osState": "Generalized",
                    "description": EVIL,
                    "identifier": {"publisher": "p", "offer": "o", "sku": "s"},
                },
            },
            {
                "id": f"{BASE}/images/img/versions/1.0.0",
                "type": "Microsoft.Compute/galleries/images/versions",
                "location": "westeurope",
                "tags": {"note": EVIL},
                "properties": {
                    "publishingProfile": {"targetRegions": [{"name": "westeurope"}]},
                    "storageProfile": {"osDiskImage": {"sizeInGB": 30}},
                },
            },
        ]
    )


def test_user_text_is_escaped_in_every_display() -> None:
    inv = evil_inventory()
    gallery = next(inv.galleries())
    definition = next(inv.definitions())
    version = next(inv.versions())
    model = AccessModel(
        inv,
        role_assignments=[
            RoleAssignment(scope=gallery.id, principal_id="evil", role_definition_id="Reader")
        ],
        principals=[Principal(id="evil", display_name=EVIL)],
    )
    shown = {
        "gallery": (gallery._repr_html_(), True),
        "definition": (definition._repr_html_(), True),
        "version": (version._repr_html_(), True),
        "inventory": (inv._repr_html_(), False),
        "resolution": (explain_latest(definition, at=AT)._repr_html_(), False),
        "decision": (model.can("evil", VERSION_READ, version.id, at=AT)._repr_html_(), True),
        "access map": (model.who_can(VERSION_READ, version.id, at=AT)._repr_html_(), True),
        "cost report": (estimate_cost(inv)._repr_html_(), False),
        "what-if": (what_if(inv, KeepLatest(1), at=AT)._repr_html_(), False),
    }
    for name, (html, shows_text) in shown.items():
        assert "<script" not in html, name
        assert _tags(html) <= {"div", "table", "caption", "thead", "tbody", "tr", "th", "td"}, name
        if shows_text:
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, name


@given(st.lists(st.tuples(st.text(), st.one_of(st.none(), st.text(), st.integers()))))
def test_cells_never_carry_markup(rows: list[tuple[str, Any]]) -> None:
    html = table(("a", "b"), rows, caption=EVIL)
    assert _tags(html) <= {"table", "caption", "thead", "tbody", "tr", "th", "td"}
    assert html.count("<tr>") == min(len(rows), MAX_ROWS) + 1 + (len(rows) > MAX_ROWS)
    for text, _ in rows:
        assert not re.search(r"[<>\"']", cell(text))
    assert "<script" not in fields(rows[:3] and [("x", EVIL)])


def test_long_tables_are_cut_with_a_count() -> None:
    html = table(("n",), ((i,) for i in range(45)))
    assert html.count("<tr>") == MAX_ROWS + 2
    assert "… 25 more rows" in html
    assert "… 3 more rows" in table(("n",), [], total=3, max_rows=0)


def test_sample_displays_say_what_matters() -> None:
    inv = sample_inventory()
    assert "Inventory: 3 galleries, 6 image definitions, 13 image versions in 2 subscriptions" in (
        inv._repr_html_()
    )
    version = inv[
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images"
        "/providers/Microsoft.Compute/galleries/myGallery/images/myImage1/versions/1.0.10"
    ]
    html = version._repr_html_()
    assert "<td>eastus</td><td>2</td><td>Premium_LRS</td><td>no</td><td>Replicating</td>" in html
    assert len(repr(inv)) < 80
