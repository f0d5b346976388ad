"""What gallery replicas cost: snapshot storage per region and first-copy egress between regions.

Where each rule is decided:

* :mod:`~imagegallery.costs.price`: one unit price and its provenance (:class:`Price`), and the
  continents egress is priced by;
* :mod:`~imagegallery.costs.sheet`: which price a region and storage type, or a pair of regions,
  gets (:class:`PriceSheet`: the embedded, dated table of :meth:`PriceSheet.default`, fallback
  estimates, and :meth:`PriceSheet.from_retail_prices` layering Retail Prices API pages over it);
* :mod:`~imagegallery.costs.retail`: which rows of Azure Retail Prices API pages are gallery
  prices (:func:`read_retail_prices`);
* :mod:`~imagegallery.costs.estimate`: the billing rule (:func:`estimate_cost`: used size,
  replicas per region, first-copy egress);
* :mod:`~imagegallery.costs.report`: what an estimate returns (:class:`CostReport`, its
  :class:`CostLine` lines and :class:`CostTotal` totals).

The package builds on the entities only (not on :mod:`imagegallery.resolve` or
:mod:`imagegallery.access`); :mod:`imagegallery.planning` builds on it.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.costs import estimate_cost
    >>> by_gallery = estimate_cost(sample_inventory()).by_gallery()
    >>> [(gallery.name, str(total.monthly_storage)) for gallery, total in by_gallery.items()]
    [('myGallery', '31.6140'), ('communityGallery', '0.600'), ('sharedGallery', '7.700')]
"""

from __future__ import annotations

from imagegallery.costs.estimate import (
    GIB_PER_GB,
    MAX_SIZE_GB,
    PriceUnit,
    SizeBasis,
    estimate_cost,
)
from imagegallery.costs.price import MAX_PRICE, MAX_PRICE_PLACES, Continent, Price, PriceOrigin
from imagegallery.costs.report import CostLine, CostReport, CostTotal, LineKind, SizeSource
from imagegallery.costs.retail import RetailPrices, read_retail_prices
from imagegallery.costs.sheet import PRICED_STORAGE_TYPES, EgressScope, PriceSheet

__all__ = [
    "GIB_PER_GB",
    "MAX_PRICE",
    "MAX_PRICE_PLACES",
    "MAX_SIZE_GB",
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
