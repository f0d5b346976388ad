"""Which image version a deployment gets: "latest" done right, explained, and references.

* :func:`resolve_latest` / :func:`explain_latest`: the highest eligible version of a definition
  (region, exclusion, replication, end of life, constraint), and every candidate's verdict;
* :func:`resolve_recent`: the most recently published eligible version (Terraform's ``recent``;
  not what Azure uses);
* :func:`resolve_reference` / :func:`scale_out_image`: what an ``imageReference`` (definition id,
  pinned version, shared or community proxy) gives in a region, and whether a scale set can scale
  out;

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

from imagegallery.resolve._query import EndOfLifePolicy, Reason, ReasonKind
from imagegallery.resolve.latest import (
    Candidate,
    Resolution,
    Verdict,
    explain_latest,
    resolve_latest,
)
from imagegallery.resolve.recent import resolve_recent
from imagegallery.resolve.reference import (
    ImageReference,
    ScaleOutImage,
    resolve_reference,
    scale_out_image,
)

__all__ = [
    "Candidate",
    "EndOfLifePolicy",
    "ImageReference",
    "Reason",
    "ReasonKind",
    "Resolution",
    "ScaleOutImage",
    "Verdict",
    "explain_latest",
    "resolve_latest",
    "resolve_recent",
    "resolve_reference",
    "scale_out_image",
]
