"""Charts render headless (Agg) to PNG, into new figures or given axes."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

from imagegallery import (
    InvalidFieldError,
    InvalidTypeError,
    MissingExtraError,
    sample_inventory,
)
from imagegallery.access import VERSION_READ, sample_access_model
from imagegallery.access.sample import SAMPLE_PRINCIPALS as P
from imagegallery.costs import CostReport, estimate_cost
from imagegallery.plot import access_chart, cost_chart, latest_chart, versions_chart

matplotlib.use("Agg")
AT = datetime(2025, 3, 1, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=60)
    data = buffer.getvalue()
    assert data.startswith(PNG) and len(data) > 5_000
    return data


def texts(figure: Figure) -> set[str]:
    ax = figure.axes[0]
    found = {t.get_text() for t in ax.texts}
    found |= {t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()}
    legend = ax.get_legend()
    if legend is not None:
        found |= {t.get_text() for t in legend.get_texts()}
    return found


def test_cost_chart_stacks_storage_types_per_region() -> None:
    report = estimate_cost(sample_inventory())
    figure = cost_chart(report)
    png(figure)
    ax = figure.axes[0]
    assert next(t.get_text() for t in ax.get_xticklabels()) == "westeurope"
    heights: dict[float, float] = {}
    for bar in ax.patches:
        assert isinstance(bar, Rectangle)
        heights[bar.get_x()] = heights.get(bar.get_x(), 0.0) + bar.get_height()
    assert sum(heights.values()) == pytest.approx(float(report.monthly_storage))
    assert {"Premium_LRS", "Standard_LRS", "Standard_ZRS", "28.04"} <= texts(figure)
    egress = cost_chart(report, amount="egress")
    assert sum(
        b.get_height() for b in egress.axes[0].patches if isinstance(b, Rectangle)
    ) == pytest.approx(float(report.one_time_egress))


def test_versions_chart_marks_end_of_life_and_exclusions() -> None:
    inv = sample_inventory()
    figure = versions_chart(inv, at=AT)
    png(figure)
    found = texts(figure)
    assert {"myGallery/myImage1", "version end of life", "definition end of life"} <= found
    assert "at 2025-03-01" in found
    definition = next(inv.definitions())
    single = versions_chart(definition, at=AT)
    assert {"1.0.0", "1.0.9", "1.0.10", "1.1.0"} <= texts(single)
    from imagegallery import update_in

    excluded = update_in(inv, definition.versions["1.0.9"].id, exclude_from_latest=True)
    assert "excluded from latest" in texts(versions_chart(excluded, at=AT))


def test_latest_chart_colours_what_latest_gives() -> None:
    figure = latest_chart(sample_inventory(), at=AT)
    png(figure)
    ax = figure.axes[0]
    cells = {(round(t.get_position()[1]), t.get_text()) for t in ax.texts}
    assert (0, "1.0.9") in cells and (0, "none") in cells and (0, "1.1.0") in cells
    image = ax.get_images()[0].get_array()
    assert image is not None and image.shape == (6, 4)
    only = latest_chart(sample_inventory(), at=AT, regions=["East US"])
    assert [t.get_text() for t in only.axes[0].get_xticklabels()] == ["eastus"]


def test_access_chart_marks_deny_edges() -> None:
    inv = sample_inventory()
    model = sample_access_model(inv)
    version = next(inv.versions()).id
    figure = access_chart(model, version, at=AT)
    png(figure)
    found = texts(figure)
    assert {"Alice", "Dave", "Contractors", "deny", "Reader @ myGallery"} <= found
    assert any(t.startswith("DENY") for t in found)
    arrows = [a.arrow_patch for a in figure.axes[0].texts if isinstance(a, Annotation)]
    red = [
        arrow
        for arrow in arrows
        if arrow is not None
        and arrow.get_linestyle() == "--"
        and matplotlib.colors.to_hex(arrow.get_edgecolor()) == "#c62828"
    ]
    assert len(red) == 2
    just_alice = access_chart(model, version, at=AT, principals=[P["alice"]], action=VERSION_READ)
    assert "Dave" not in texts(just_alice)


def test_charts_draw_into_given_axes() -> None:
    inv = sample_inventory()
    figure = Figure(figsize=(14, 8))
    axes = figure.subplots(2, 2)
    drawn = [
        cost_chart(estimate_cost(inv), ax=axes[0][0]),
        versions_chart(inv, at=AT, ax=axes[0][1]),
        latest_chart(inv, at=AT, ax=axes[1][0]),
        access_chart(sample_access_model(inv), next(inv.versions()).id, at=AT, ax=axes[1][1]),
    ]
    assert all(f is figure for f in drawn)
    png(figure)
    sub = Figure().add_subfigure(GridSpec(1, 2)[0])
    assert cost_chart(estimate_cost(inv), ax=sub.add_subplot()) is sub.figure


def test_bad_arguments_are_library_errors() -> None:
    report = estimate_cost(sample_inventory())
    with pytest.raises(InvalidFieldError, match="amount"):
        cost_chart(report, amount="yearly")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        cost_chart(report.to_records())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        versions_chart("inventory")  # type: ignore[arg-type]
    empty = CostReport.from_lines([], prices=report.prices)
    assert len(cost_chart(empty).axes[0].patches) == 0


def test_without_matplotlib_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"imagegallery\[plot\]"):
        cost_chart(estimate_cost(sample_inventory()))
