"""Sphinx configuration for the imagegallery documentation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from imagegallery import sample_inventory
from imagegallery.costs import estimate_cost
from imagegallery.plot import cost_chart, latest_chart

project = "imagegallery"
author = "imagegallery maintainers"
copyright = "2026, imagegallery maintainers"
release = "0.1.0"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
exclude_patterns = ["_build", "_generated", "jupyter_execute"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
html_theme = "furo"
html_title = "imagegallery"
suppress_warnings = ["myst.header", "autodoc.import_object"]

# The tutorial notebook is stored without outputs and executed on every build, so the pages show
# what the current code computes and a cell that fails fails the build (myst-nb).
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 600
nb_merge_streams = True

_GENERATED = Path(__file__).parent / "_generated"


def _draw_charts(_app: Any) -> None:
    """Draw the charts shown on the notebooks page from the sample, with the current code."""
    _GENERATED.mkdir(exist_ok=True)
    inventory = sample_inventory()
    at = datetime(2025, 3, 1, tzinfo=UTC)
    charts = {
        "cost_chart.png": cost_chart(estimate_cost(inventory)),
        "latest_chart.png": latest_chart(inventory, at=at),
    }
    for name, figure in charts.items():
        figure.savefig(_GENERATED / name, dpi=110)


def setup(app: Any) -> None:
    app.connect("builder-inited", _draw_charts)
