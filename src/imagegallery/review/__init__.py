"""Review a change before it ships: :func:`diff` two inventories, :func:`lint` one.

* :func:`diff` → :class:`InventoryDiff`: resources added, removed and changed (each property at
  its ARM path), every (definition, region) whose "latest" moves and why, references in use that
  break, the cost delta, and (with access data) who gains or loses read on "latest";
* :func:`lint` → :class:`LintReport` of :class:`LintFinding`: where an inventory departs from
  the documented practice, each finding with its rule, severity, resource, the source of the
  rule and a fix hint; :data:`RULES` lists the rules, :class:`LintConfig` configures them.

Every result has ``to_records()`` (flat dicts with stable snake_case keys), a ``summary()`` line
and ``to_json_dict()`` (JSON-ready, with a versioned ``schema`` name); the command line renders
them as text.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import remove, sample_inventory
    >>> from imagegallery.review import diff
    >>> old = sample_inventory()
    >>> new = remove(old, next(old.versions()).id)
    >>> print(diff(old, new, at=datetime(2025, 3, 1, tzinfo=UTC)).summary())
    1 removed; monthly storage 39.91 -> 38.64 USD (-1.28)
"""

from __future__ import annotations

from imagegallery.review.changes import (
    DIFF_FAIL_CONDITIONS,
    DIFF_RECORD_COLUMNS,
    DIFF_SCHEMA,
    RESOURCE_TYPES,
    AccessChange,
    AccessChangeKind,
    BrokenReference,
    CostDelta,
    DiffKind,
    InventoryDiff,
    LatestMove,
    PropertyChange,
    RegionCost,
    ResourceChange,
    resource_type_of,
)
from imagegallery.review.config import (
    DEFAULT_PRODUCTION_TAGS,
    DEFAULT_TEST_TAGS,
    RULE_OPTIONS,
    ZONE_REDUNDANT_REGIONS,
    LintConfig,
)
from imagegallery.review.diff import diff
from imagegallery.review.findings import (
    LINT_RECORD_COLUMNS,
    LINT_SCHEMA,
    LintFinding,
    LintReport,
    Severity,
)
from imagegallery.review.lint import lint, selected_rules
from imagegallery.review.rules import RULES, LintRule, rule

__all__ = [
    "DEFAULT_PRODUCTION_TAGS",
    "DEFAULT_TEST_TAGS",
    "DIFF_FAIL_CONDITIONS",
    "DIFF_RECORD_COLUMNS",
    "DIFF_SCHEMA",
    "LINT_RECORD_COLUMNS",
    "LINT_SCHEMA",
    "RESOURCE_TYPES",
    "RULES",
    "RULE_OPTIONS",
    "ZONE_REDUNDANT_REGIONS",
    "AccessChange",
    "AccessChangeKind",
    "BrokenReference",
    "CostDelta",
    "DiffKind",
    "InventoryDiff",
    "LatestMove",
    "LintConfig",
    "LintFinding",
    "LintReport",
    "LintRule",
    "PropertyChange",
    "RegionCost",
    "ResourceChange",
    "Severity",
    "diff",
    "lint",
    "resource_type_of",
    "rule",
    "selected_rules",
]
