"""A unit price and where it came from, and the continents egress is priced by.

Example:
    >>> from decimal import Decimal
    >>> from imagegallery.costs import Continent, Price, PriceOrigin
    >>> p = Price(amount=Decimal("0.02"), currency="USD", unit="1 GB", source="bandwidth page",
    ...           origin=PriceOrigin.USER, verified=False)
    >>> p.amount, p.verified, p.estimate, Continent.MIDDLE_EAST_AFRICA.label
    (Decimal('0.02'), False, False, 'Middle East & Africa')
"""

from __future__ import annotations

import enum
import math
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Final

import attrs

from imagegallery.errors import InvalidFieldError

__all__ = ["MAX_PRICE", "MAX_PRICE_PLACES", "Continent", "Price", "PriceOrigin"]

MAX_PRICE: Final = Decimal(1_000_000)
"""The highest unit price accepted (in any currency): a larger one is an input error."""
MAX_PRICE_PLACES: Final = 20
"""The most decimal places of a unit price: with them, every amount is computed exactly."""
_SMALLEST: Final = Decimal(1).scaleb(-MAX_PRICE_PLACES)
_MAX_INT_BITS: Final = 64


class Continent(enum.StrEnum):
    """The continent groups inter-region bandwidth is priced by.

    Example:
        >>> from imagegallery.costs import Continent, PriceSheet
        >>> PriceSheet.default().continent_of("brazilsouth") is Continent.SOUTH_AMERICA
        True
    """

    NORTH_AMERICA = "north_america"
    EUROPE = "europe"
    ASIA = "asia"
    OCEANIA = "oceania"
    MIDDLE_EAST_AFRICA = "middle_east_africa"
    SOUTH_AMERICA = "south_america"

    @property
    def label(self) -> str:
        """The continent's name in words (``"Middle East & Africa"``)."""
        return _CONTINENT_LABELS[self]


_CONTINENT_LABELS: Final = {
    Continent.NORTH_AMERICA: "North America",
    Continent.EUROPE: "Europe",
    Continent.ASIA: "Asia",
    Continent.OCEANIA: "Oceania",
    Continent.MIDDLE_EAST_AFRICA: "Middle East & Africa",
    Continent.SOUTH_AMERICA: "South America",
}


class PriceOrigin(enum.StrEnum):
    """Where a price came from.

    Example:
        >>> from imagegallery.costs import PriceSheet
        >>> PriceSheet.default().snapshot_price("eastus", "Standard_LRS").origin.value
        'default'
    """

    DEFAULT = "default"
    """The embedded table of :meth:`PriceSheet.default`."""
    RETAIL = "retail"
    """An Azure Retail Prices API page."""
    USER = "user"
    """Set by the caller (:meth:`PriceSheet.with_snapshot_price`, ...)."""
    FALLBACK = "fallback"
    """An estimate for a region or storage type the sheet has no price for."""
    RULE = "rule"
    """Fixed by the billing rule itself (no charge for a copy inside one region)."""


@attrs.frozen(kw_only=True)
class Price:
    """One unit price and its provenance.

    An amount is a finite :class:`~decimal.Decimal` from 0 to :data:`MAX_PRICE` with at most
    :data:`MAX_PRICE_PLACES` decimal places (so that every cost is computed exactly); anything
    else is an :class:`~imagegallery.errors.InvalidFieldError`.

    Attributes:
        amount: The price per unit, in ``currency``.
        currency: ISO currency code (``USD``).
        unit: The unit as Azure states it: ``1 GB/Month`` for snapshots, ``1 GB`` for egress.
        source: Where the number comes from, in words.
        origin: The kind of source (default table, Retail Prices API, caller, fallback, rule).
        as_of: When the number was read (ISO date or year), if known.
        verified: ``False`` when the source is secondary or inferred (the default egress table).
        meter_id: The Azure meter id, when known.
        effective_from: The meter's ``effectiveStartDate`` (ISO date), when known.

    Example:
        >>> from decimal import Decimal
        >>> from imagegallery.costs import Price, PriceOrigin
        >>> p = Price(amount=Decimal("0.05"), currency="USD", unit="1 GB/Month",
        ...           source="my contract", origin=PriceOrigin.USER)
        >>> p.amount, p.estimate
        (Decimal('0.05'), False)
    """

    amount: Decimal = attrs.field()
    currency: str
    unit: str
    source: str
    origin: PriceOrigin
    as_of: str | None = None
    verified: bool = True
    meter_id: str | None = None
    effective_from: str | None = None

    @amount.validator
    def _check_amount(self, _attribute: object, value: object) -> None:
        if not isinstance(value, Decimal):
            raise InvalidFieldError("a price must be a Decimal", field="amount", value=value)
        problem = _amount_problem(value)
        if problem is not None:
            raise InvalidFieldError(problem, field="amount", value=value)

    @property
    def estimate(self) -> bool:
        """Whether the price is a fallback estimate rather than a price of the region and type."""
        return self.origin is PriceOrigin.FALLBACK


def _amount_problem(value: Decimal) -> str | None:
    """What is wrong with ``value`` as a price, or ``None``."""
    if not value.is_finite():
        return "a price must be a finite number"
    if value < 0:
        return "a price must not be negative"
    if value > MAX_PRICE:
        return f"a price is at most {MAX_PRICE:,} per unit"
    exponent = value.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and exponent < -MAX_PRICE_PLACES
        and value != value.quantize(_SMALLEST, rounding=ROUND_DOWN)
    ):
        return f"a price has at most {MAX_PRICE_PLACES} decimal places"
    return None


def _as_decimal(
    value: object,
    field: str,
    *,
    error: type[InvalidFieldError] = InvalidFieldError,
    floats: bool = False,
) -> Decimal:
    """A price read from input: a Decimal, an int, decimal text (or, with ``floats``, a float,
    read by its shortest repr), within the documented range; else ``error`` naming ``field``."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > _MAX_INT_BITS:
            raise error(f"a price is at most {MAX_PRICE:,} per unit", field=field, value=value)
        result = Decimal(value)
    elif floats and isinstance(value, float):
        result = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise error("not a decimal number", field=field, value=value) from None
    else:
        kinds = "a number or decimal text" if floats else "a Decimal (or an int or decimal text)"
        raise error(f"a price must be {kinds}", field=field, value=value)
    problem = _amount_problem(result)
    if problem is not None:
        raise error(problem, field=field, value=value)
    return result
