"""What gallery replicas cost: snapshot storage per region and first-copy egress between regions.

* :class:`PriceSheet`: unit prices with provenance (:meth:`PriceSheet.default`, embedded and dated;
  :meth:`PriceSheet.from_retail_prices`, Azure Retail Prices API pages layered over it).
* :func:`estimate_cost`: a :class:`CostReport` of an image version, definition, gallery or
  inventory: monthly snapshot storage, one-time egress, lines and totals.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.costs import estimate_cost
    >>> report = estimate_cost(sample_inventory())
    >>> report.monthly_storage, report.one_time_egress
    (Decimal('39.9140'), Decimal('6.100'))
"""

from __future__ import annotations

from imagegallery.costs.estimate import GIB_PER_GB, PriceUnit, SizeBasis, estimate_cost
from imagegallery.costs.line import CostLine, LineKind, SizeSource
from imagegallery.costs.price import Continent, Price, PriceOrigin
from imagegallery.costs.prices import PRICED_STORAGE_TYPES, EgressScope, PriceSheet
from imagegallery.costs.report import CostReport, CostTotal
from imagegallery.costs.retail import RetailPrices, read_retail_prices

__all__ = [
    "GIB_PER_GB",
    "PRICED_STORAGE_TYPES",
    "Continent",
    "CostLine",
    "CostReport",
    "CostTotal",
    "EgressScope",
    "LineKind",
    "Price",
    "PriceOrigin",
    "PriceSheet",
    "PriceUnit",
    "RetailPrices",
    "SizeBasis",
    "SizeSource",
    "estimate_cost",
    "read_retail_prices",
]
