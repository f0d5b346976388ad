"""Which image version a deployment gets: "latest" done right, explained, and references.

The rules are decided in one module, :mod:`imagegallery.resolve.latest` (stated in words, version
by version) and applied fast by the package's index (checked against the words by tests);
:mod:`imagegallery.resolve.reference` resolves what a VM's ``imageReference`` names through them.

* :func:`resolve_latest` / :func:`explain_latest`: the highest eligible version of a definition
  (region, exclusion, replication, end of life, constraint), and every candidate's verdict;
* :func:`latest_by_region` / :func:`definition_regions`: the answer in each region of each
  definition of a definition, gallery or inventory; :func:`latest_without`: the answers if some
  versions were deleted;
* :func:`resolve_recent`: the most recently published eligible version (Terraform's ``recent``;
  not what Azure uses);
* :func:`resolve_reference` / :func:`scale_out_image`: what an ``imageReference`` (definition id,
  pinned version, shared or community proxy) gives in a region, and whether a scale set can scale
  out.

The package builds on the entities only (not on :mod:`imagegallery.costs` or
:mod:`imagegallery.access`); :mod:`imagegallery.planning` builds on it.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.resolve import explain_latest
    >>> image1 = next(sample_inventory().definitions())
    >>> resolution = explain_latest(image1, region="eastus", at=datetime(2025, 3, 1, tzinfo=UTC))
    >>> str(resolution.chosen.name), resolution.reasons()["1.0.10"]
    ('1.0.9', ('replication to eastus is Replicating',))
"""

from __future__ import annotations

from imagegallery.resolve.latest import (
    MAX_SPEC_DIGITS,
    MAX_SPEC_LENGTH,
    Candidate,
    EndOfLifePolicy,
    Reason,
    ReasonKind,
    Resolution,
    Verdict,
    definition_regions,
    explain_latest,
    latest_by_region,
    latest_without,
    resolve_latest,
    resolve_recent,
)
from imagegallery.resolve.reference import (
    ImageReference,
    ScaleOutImage,
    resolve_reference,
    scale_out_image,
)

__all__ = [
    "MAX_SPEC_DIGITS",
    "MAX_SPEC_LENGTH",
    "Candidate",
    "EndOfLifePolicy",
    "ImageReference",
    "Reason",
    "ReasonKind",
    "Resolution",
    "ScaleOutImage",
    "Verdict",
    "definition_regions",
    "explain_latest",
    "latest_by_region",
    "latest_without",
    "resolve_latest",
    "resolve_recent",
    "resolve_reference",
    "scale_out_image",
]
