"""The most recently published eligible version: parity with Terraform's ``name = "recent"``.

This is **not** what Azure deploys for "latest" (Azure takes the highest version number; see
:func:`~imagegallery.resolve.resolve_latest`). It is here for users migrating from Terraform's
``data.azurerm_shared_image_version`` with ``name = "recent"``, and to show how far the two answers
can be apart (a hotfix ``1.0.9`` published after ``2.0.0`` is "recent" but never "latest").

Unlike Terraform's ``recent``, which ignores every flag, the candidates are the same eligible
versions as for "latest" (exclusion, region, replication, end of life, constraint); only the
order differs: by ``published_date``, newest first, versions without a published date last, and
equal dates broken by the higher version number.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.resolve import resolve_recent
    >>> image1 = next(sample_inventory().definitions())
    >>> str(resolve_recent(image1, region="eastus", at=datetime(2025, 3, 1, tzinfo=UTC)).name)
    '1.0.9'
"""

from __future__ import annotations

from datetime import datetime

from packaging.specifiers import SpecifierSet

from imagegallery.definition import ImageDefinition
from imagegallery.version import ImageVersion

from ._index import most_recent_eligible
from ._query import EndOfLifePolicy, make_query
from .latest import _check_definition, _explain, _no_eligible_error

__all__ = ["resolve_recent"]


def resolve_recent(
    definition: ImageDefinition,
    *,
    region: str | None = None,
    at: datetime | None = None,
    spec: SpecifierSet | str | None = None,
    end_of_life: EndOfLifePolicy = "skip",
    require_replicated: bool = True,
) -> ImageVersion:
    """The most recently published eligible version of ``definition`` (not Azure's "latest").

    Takes the same arguments, and applies the same eligibility rules, as
    :func:`~imagegallery.resolve.resolve_latest`.

    Raises:
        NoEligibleVersionError: Nothing is eligible; ``.reasons`` says, per version, why.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> image2 = sample_inventory().get(
        ...     "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images"
        ...     "/providers/Microsoft.Compute/galleries/myGallery/images/myImage2")
        >>> at = datetime(2025, 3, 1, tzinfo=UTC)
        >>> str(resolve_recent(image2, region="westeurope", at=at).name)
        '2.1.0'
        >>> str(resolve_recent(image2, region="eastus", at=at).name)
        '2.0.0'
    """
    query = make_query(
        region=region,
        at=at,
        spec=spec,
        end_of_life=end_of_life,
        require_replicated=require_replicated,
    )
    definition = _check_definition(definition)
    found = most_recent_eligible(definition, query)
    if found is not None:
        return found
    resolution = _explain(definition, query)
    raise _no_eligible_error(
        resolution, f"No version of {definition.id} is eligible as most recent"
    )
