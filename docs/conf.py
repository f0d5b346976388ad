"""Sphinx configuration for the imagegallery documentation."""

from __future__ import annotations

project = "imagegallery"
author = "imagegallery maintainers"
copyright = "2026, imagegallery maintainers"
release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
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
