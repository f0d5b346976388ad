"""The price sheet: unit prices of gallery replicas, snapshot storage per GB-month and inter-region
egress per GB, with where each came from.

Azure bills each replica of an image version as a managed-disk snapshot, at the price of the
replica's region and storage type, and bills network egress once for the first copy from the source
region to each other target region (see :func:`imagegallery.costs.estimate_cost`). A
:class:`PriceSheet` holds both kinds of price, each with where it came from.

:meth:`PriceSheet.default` is the embedded table (dated, in USD, with a source for every number; the
egress figures are marked unverified). :meth:`PriceSheet.from_retail_prices` layers Azure Retail
Prices API pages over it. A price the sheet does not have is an error, unless the sheet's fallback
is switched on, in which case an estimate is used and flagged. Money is always
:class:`~decimal.Decimal`.

This module decides which price a (region, storage type) or a (source, destination) pair gets,
and how the embedded table and Retail Prices API pages (read by :mod:`imagegallery.costs.retail`)
combine into a sheet. A single price and its provenance is a :class:`~imagegallery.costs.Price`
(:mod:`imagegallery.costs.price`).

Example:
    >>> from imagegallery.costs import PriceSheet
    >>> prices = PriceSheet.default()
    >>> prices.currency, str(prices.as_of)
    ('USD', '2026-07-14')
    >>> prices.snapshot_per_gb_month("West Europe", "Premium_LRS")
    Decimal('0.145')
    >>> prices.egress_per_gb("westeurope", "eastus"), prices.egress_per_gb("eastus", "eastus")
    (Decimal('0.05'), Decimal('0'))
    >>> prices.egress_price("westeurope", "northeurope").verified
    False
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Final, Literal, NoReturn, TypeVar

import attrs

from imagegallery.costs.price import Continent, Price, PriceOrigin, _as_decimal
from imagegallery.costs.retail import read_retail_prices
from imagegallery.enums import StorageAccountType
from imagegallery.errors import (
    CurrencyMismatchError,
    InvalidFieldError,
    InvalidPriceDataError,
    InvalidTypeError,
    PriceNotFoundError,
)
from imagegallery.regions import normalize_region

__all__ = ["PRICED_STORAGE_TYPES", "EgressScope", "PriceSheet"]

EgressScope = Literal["intra", "inter"]
"""Whether a transfer stays on the source's continent (``intra``) or leaves it (``inter``)."""

PRICED_STORAGE_TYPES: Final = ("Standard_LRS", "Standard_ZRS", "Premium_LRS")
"""The replica storage types the embedded table prices (the ARM enum of ``storageAccountType``)."""

_SCOPES: Final = ("intra", "inter")
_MAX_NAME: Final = 64
_ZERO: Final = Decimal(0)

_K = TypeVar("_K")
_V = TypeVar("_V")


class _FrozenMap(dict[_K, _V]):
    """A read-only dict, hashable so that sheets compare by value.

    Sheets are shared (:meth:`PriceSheet.default` returns one object), so no caller may change
    one in place: the ``with_*`` methods return changed copies.
    """

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def _read_only(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError("a price sheet is immutable: use its with_* methods for a changed copy")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only


def _frozen(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return value if isinstance(value, _FrozenMap) else _FrozenMap(value)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _storage_type_key(storage_type: StorageAccountType | str) -> str:
    """The sheet's key for a storage type: its canonical ARM spelling (case-insensitive input)."""
    if isinstance(storage_type, StorageAccountType):
        return storage_type.value
    raw: object = storage_type
    if not isinstance(raw, str) or not 0 < len(raw) <= _MAX_NAME:
        raise InvalidFieldError(
            f"a storage type must be a StorageAccountType or its name (at most {_MAX_NAME}"
            " characters)",
            field="storage_type",
            value=storage_type,
        )
    try:
        return StorageAccountType(storage_type).value
    except InvalidFieldError as err:
        raise err.at("storage_type") from None


def _region(region: object, field: str) -> str:
    """A region argument in ARM form; errors name the argument."""
    try:
        return normalize_region(region)  # type: ignore[arg-type]
    except InvalidFieldError as err:
        raise err.at(field) from None


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidTypeError("expected text", field=field, value=value)
    return value


@attrs.frozen(kw_only=True)
class PriceSheet:
    """Snapshot and egress unit prices, each with its provenance.

    Build one with :meth:`default` or :meth:`from_retail_prices`; adjust it with
    :meth:`with_snapshot_price`, :meth:`with_egress_price` and :meth:`with_fallback`.

    Attributes:
        currency: The currency of every price in the sheet.
        as_of: The date of the base table.
        snapshot_prices: ``(region, storage type) -> Price``, per GB-month.
        egress_prices: ``(source continent, "intra" | "inter") -> Price``, per GB.
        region_egress_prices: ``(source region, "intra" | "inter") -> Price``, per GB; wins over
            the continent price (Retail Prices API rows are per source region).
        continents: ``region -> Continent``, to classify transfers.
        fallback_snapshot_prices: ``storage type -> Price`` for regions the sheet does not price.
        allow_fallback: When ``True``, a missing price is replaced by an estimate (flagged as
            such) instead of raising :class:`~imagegallery.errors.PriceNotFoundError`.
        notes: What the sheet's builder noticed (unmatched pages, conflicting rows ...).

    Example:
        >>> from imagegallery.costs import PriceSheet
        >>> prices = PriceSheet.default()
        >>> prices.snapshot_per_gb_month("mars", "Standard_LRS")
        Traceback (most recent call last):
        ...
        imagegallery.errors.PriceNotFoundError: region: no snapshot price for ... (got 'mars')
        >>> estimate = prices.with_fallback().snapshot_price("mars", "Standard_LRS")
        >>> estimate.amount, estimate.estimate
        (Decimal('0.05'), True)
    """

    currency: str
    as_of: date
    snapshot_prices: Mapping[tuple[str, str], Price] = attrs.field(converter=_frozen)
    egress_prices: Mapping[tuple[Continent, str], Price] = attrs.field(converter=_frozen)
    region_egress_prices: Mapping[tuple[str, str], Price] = attrs.field(
        factory=dict, converter=_frozen
    )
    continents: Mapping[str, Continent] = attrs.field(converter=_frozen)
    fallback_snapshot_prices: Mapping[str, Price] = attrs.field(factory=dict, converter=_frozen)
    allow_fallback: bool = False
    notes: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def default(cls) -> PriceSheet:
        """The embedded price table.

        Snapshot prices per GB-month for 15 regions and the three replica storage types, dated
        2026-07-14, in USD, read from Azure Retail Prices API captures; inter-region egress per
        GB by continent, **unverified** (secondary sources; every egress price has
        ``verified=False``); a region → continent map. Fallback is off.

        Returns:
            The sheet (the same immutable object on every call).

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> p = PriceSheet.default().snapshot_price("brazilsouth", "Premium_LRS")
            >>> p.amount, p.origin.value, p.as_of
            (Decimal('0.228'), 'default', '2026-07-14')
        """
        return _default_sheet()

    @classmethod
    def from_retail_prices(cls, pages: Any, *, base: PriceSheet | None = None) -> PriceSheet:
        """Layer Azure Retail Prices API pages over a base sheet (the default one if not given).

        See :mod:`imagegallery.costs.retail` for the accepted inputs (one page, several pages,
        recorded request/response files, JSON text or paths) and the row selection. Prices read
        from the pages replace the base's for the same region and storage type (or source region
        and scope, for bandwidth); everything else keeps the base price and its provenance. When
        nothing matches, the sheet is the base sheet with a note saying so.

        Args:
            pages: The Retail Prices API data.
            base: The sheet to layer over; ``None`` means :meth:`default`.

        Returns:
            A new sheet.

        Raises:
            InvalidPriceDataError: The pages are not Retail Prices API data.
            CurrencyMismatchError: The pages' currency is not the base sheet's.

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> page = {"BillingCurrency": "USD", "NextPageLink": None, "Items": [{
            ...     "currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": 0.06,
            ...     "armRegionName": "westeurope", "meterName": "LRS Snapshots",
            ...     "productName": "Standard HDD Managed Disks", "skuName": "Snapshots LRS",
            ...     "serviceName": "Storage", "unitOfMeasure": "1 GB/Month",
            ...     "type": "Consumption", "isPrimaryMeterRegion": True}]}
            >>> prices = PriceSheet.from_retail_prices(page)
            >>> p = prices.snapshot_price("westeurope", "Standard_LRS")
            >>> p.amount, p.origin.value
            (Decimal('0.06'), 'retail')
            >>> prices.snapshot_price("westeurope", "Premium_LRS").origin.value
            'default'
        """
        if base is None:
            base = cls.default()
        elif not isinstance(base, PriceSheet):
            raise InvalidTypeError("expected a PriceSheet or None", field="base", value=base)
        read = read_retail_prices(pages)
        if read.currency is not None and read.currency != base.currency.upper():
            raise CurrencyMismatchError(
                f"the pages are priced in {read.currency} but the base sheet in {base.currency}"
                " (pass a base sheet in the same currency)",
                field="currencyCode",
                value=read.currency,
            )
        bandwidth = len(read.region_egress_prices) + len(read.continent_egress_prices)
        if len(read.snapshot_prices) + bandwidth == 0:
            note = (
                f"no snapshot or bandwidth meter matched in {read.pages} page(s) of"
                f" {read.items} items; every price is the base sheet's (as of {base.as_of})"
            )
        else:
            note = (
                f"{len(read.snapshot_prices)} snapshot and {bandwidth} bandwidth price(s) read"
                f" from {read.pages} Retail Prices API page(s); the rest are the base sheet's"
                f" (as of {base.as_of})"
            )
        return attrs.evolve(
            base,
            snapshot_prices={**base.snapshot_prices, **read.snapshot_prices},
            region_egress_prices={**base.region_egress_prices, **read.region_egress_prices},
            egress_prices={**base.egress_prices, **read.continent_egress_prices},
            notes=[*base.notes, *read.notes, note],
        )

    # -- adjustments -------------------------------------------------------------------------

    def with_fallback(self, enabled: bool = True) -> PriceSheet:
        """A copy whose missing prices are estimated (and flagged) instead of raising.

        Unknown region: the fallback row of the table (``fallback_snapshot_prices``). Storage
        type without a price (``PremiumV2_LRS``, a type Azure adds later): the region's
        ``Premium_LRS`` price. Egress from an unknown region: the highest egress price in the
        sheet; to an unknown region: the source's inter-continent price.

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> p = PriceSheet.default().with_fallback().snapshot_price("eastus", "PremiumV2_LRS")
            >>> p.amount, p.estimate
            (Decimal('0.132'), True)
        """
        if type(enabled) is not bool:
            raise InvalidTypeError("expected True or False", field="enabled", value=enabled)
        return attrs.evolve(self, allow_fallback=enabled)

    def with_snapshot_price(
        self,
        region: str,
        storage_type: StorageAccountType | str,
        amount: Decimal,
        *,
        source: str = "set by the caller",
    ) -> PriceSheet:
        """A copy with one snapshot price set (origin :attr:`PriceOrigin.USER`).

        Example:
            >>> from decimal import Decimal
            >>> from imagegallery.costs import PriceSheet
            >>> prices = PriceSheet.default().with_snapshot_price(
            ...     "norwayeast", "Standard_LRS", Decimal("0.06"), source="contract 2026")
            >>> prices.snapshot_per_gb_month("norwayeast", "Standard_LRS")
            Decimal('0.06')
        """
        key = (_region(region, "region"), _storage_type_key(storage_type))
        price = self._user_price(amount, "1 GB/Month", _text(source, "source"))
        return attrs.evolve(self, snapshot_prices={**self.snapshot_prices, key: price})

    def with_egress_price(
        self,
        source: Continent | str,
        scope: EgressScope,
        amount: Decimal,
        *,
        description: str = "set by the caller",
    ) -> PriceSheet:
        """A copy with one egress price set, for a source continent or a source region.

        Args:
            source: A :class:`Continent` (all its regions) or a region name (that region only).
            scope: ``"intra"`` (destination on the same continent) or ``"inter"``.
            amount: Price per GB.
            description: The provenance text.

        Example:
            >>> from decimal import Decimal
            >>> from imagegallery.costs import Continent, PriceSheet
            >>> prices = PriceSheet.default().with_egress_price(
            ...     Continent.EUROPE, "intra", Decimal("0.02"), description="bandwidth page")
            >>> p = prices.egress_price("westeurope", "northeurope")
            >>> p.amount, p.verified
            (Decimal('0.02'), True)
        """
        if scope not in _SCOPES:
            raise InvalidFieldError("scope must be 'intra' or 'inter'", field="scope", value=scope)
        price = self._user_price(amount, "1 GB", _text(description, "description"))
        if isinstance(source, Continent):
            return attrs.evolve(self, egress_prices={**self.egress_prices, (source, scope): price})
        key = (_region(source, "source"), scope)
        return attrs.evolve(self, region_egress_prices={**self.region_egress_prices, key: price})

    # -- look-ups ----------------------------------------------------------------------------

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions with at least one snapshot price, sorted."""
        return tuple(sorted({region for region, _ in self.snapshot_prices}))

    @property
    def egress_verified(self) -> bool:
        """Whether every egress price in the sheet comes from a verified source."""
        return all(p.verified for p in self._egress_values())

    def continent_of(self, region: str) -> Continent | None:
        """The continent of ``region`` (any spelling), or ``None`` if the sheet does not know it.

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> PriceSheet.default().continent_of("Southeast Asia").label
            'Asia'
        """
        return self.continents.get(_region(region, "region"))

    def snapshot_price(self, region: str, storage_type: StorageAccountType | str) -> Price:
        """The snapshot price of ``storage_type`` replicas in ``region``, with its provenance.

        Raises:
            PriceNotFoundError: No price, and fallback is off.
            InvalidRegionError: ``region`` is not a region name.

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> PriceSheet.default().snapshot_price("uksouth", "Standard_ZRS").amount
            Decimal('0.053')
        """
        name = _region(region, "region")
        kind = _storage_type_key(storage_type)
        found = self.snapshot_prices.get((name, kind))
        if found is not None:
            return found
        if not self.allow_fallback:
            if any(r == name for r, _ in self.snapshot_prices):
                raise PriceNotFoundError(
                    f"no snapshot price for storage type {kind!r} in {name}"
                    " (priced types: Standard_LRS, Standard_ZRS, Premium_LRS;"
                    " enable fallback to estimate)",
                    field="storage_type",
                    value=kind,
                    region=name,
                    storage_type=kind,
                )
            raise PriceNotFoundError(
                f"no snapshot price for region {name!r} (the sheet prices"
                f" {len(self.regions)} regions; load Retail Prices API pages for it, or enable"
                " fallback to estimate)",
                field="region",
                value=region,
                region=name,
                storage_type=kind,
            )
        return self._fallback_snapshot(name, kind)

    def snapshot_per_gb_month(self, region: str, storage_type: StorageAccountType | str) -> Decimal:
        """The snapshot price per GB-month of ``storage_type`` replicas in ``region``.

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> PriceSheet.default().snapshot_per_gb_month("eastus2", "Premium_LRS")
            Decimal('0.12')
        """
        return self.snapshot_price(region, storage_type).amount

    def egress_price(self, source_region: str, destination_region: str) -> Price:
        """The price per GB of copying from ``source_region`` to ``destination_region``.

        A copy inside one region is free (a :attr:`PriceOrigin.RULE` price of 0). Otherwise the
        source region's own price for the scope (``intra`` when both regions are on the same
        continent, else ``inter``) if the sheet has one, else the source continent's.

        Raises:
            PriceNotFoundError: A region's continent is unknown, or the scope has no price, and
                fallback is off.

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> p = PriceSheet.default().egress_price("brazilsouth", "eastus")
            >>> p.amount, p.unit, p.verified
            (Decimal('0.16'), '1 GB', False)
        """
        src = _region(source_region, "source_region")
        dst = _region(destination_region, "destination_region")
        if src == dst:
            return Price(
                amount=_ZERO,
                currency=self.currency,
                unit="1 GB",
                source="no charge for a copy within one region",
                origin=PriceOrigin.RULE,
            )
        src_continent = self.continents.get(src)
        dst_continent = self.continents.get(dst)
        if src_continent is None or dst_continent is None:
            unknown, field = (
                (src, "source_region") if src_continent is None else (dst, "destination_region")
            )
            if not self.allow_fallback:
                raise PriceNotFoundError(
                    f"no egress price: the continent of region {unknown!r} is unknown"
                    " (enable fallback to estimate)",
                    field=field,
                    value=unknown,
                    region=unknown,
                )
            if src_continent is None:
                highest = max(self._egress_values(), key=lambda p: p.amount)
                return self._estimate(highest, f"egress from unknown region {src!r}")
            inter = self._egress_lookup(src, src_continent, "inter")
            if inter is None:
                highest = max(self._egress_values(), key=lambda p: p.amount)
                return self._estimate(highest, f"egress to unknown region {dst!r}")
            return self._estimate(
                inter, f"egress to unknown region {dst!r}, priced as inter-continent"
            )
        scope = "intra" if src_continent is dst_continent else "inter"
        found = self._egress_lookup(src, src_continent, scope)
        if found is not None:
            return found
        if not self.allow_fallback:
            raise PriceNotFoundError(
                f"no {scope}-continent egress price for source region {src!r}"
                f" ({src_continent.label})",
                field="source_region",
                value=src,
                region=src,
            )
        highest = max(self._egress_values(), key=lambda p: p.amount)
        return self._estimate(highest, f"no {scope}-continent egress price from {src!r}")

    def egress_per_gb(self, source_region: str, destination_region: str) -> Decimal:
        """The egress price per GB from ``source_region`` to ``destination_region``.

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> PriceSheet.default().egress_per_gb("westeurope", "northeurope")
            Decimal('0.02')
        """
        return self.egress_price(source_region, destination_region).amount

    def to_records(self) -> list[dict[str, Any]]:
        """Every price as a flat dict (kind, key, amount, unit, origin, source, verified ...).

        Example:
            >>> from imagegallery.costs import PriceSheet
            >>> rows = PriceSheet.default().to_records()
            >>> rows[0]["kind"], rows[0]["region"], rows[0]["storage_type"], rows[0]["amount"]
            ('snapshot', 'australiaeast', 'Premium_LRS', Decimal('0.132'))
        """
        rows: list[dict[str, Any]] = []
        for (region, kind), price in sorted(self.snapshot_prices.items()):
            rows.append(_record("snapshot", price, region=region, storage_type=kind))
        for (continent, scope), price in sorted(
            self.egress_prices.items(), key=lambda kv: (kv[0][0].value, kv[0][1])
        ):
            rows.append(_record("egress", price, continent=continent.value, scope=scope))
        for (region, scope), price in sorted(self.region_egress_prices.items()):
            rows.append(_record("egress", price, region=region, scope=scope))
        return rows

    # -- internals ---------------------------------------------------------------------------

    def _user_price(self, amount: object, unit: str, source: str) -> Price:
        return Price(
            amount=_as_decimal(amount, "amount"),
            currency=self.currency,
            unit=unit,
            source=source,
            origin=PriceOrigin.USER,
        )

    def _egress_values(self) -> Iterator[Price]:
        yield from self.egress_prices.values()
        yield from self.region_egress_prices.values()

    def _egress_lookup(self, src: str, continent: Continent, scope: str) -> Price | None:
        found = self.region_egress_prices.get((src, scope))
        if found is None:
            found = self.egress_prices.get((continent, scope))
        return found

    def _fallback_snapshot(self, region: str, kind: str) -> Price:
        if kind in PRICED_STORAGE_TYPES:
            base = self.fallback_snapshot_prices.get(kind)
            if base is None:
                raise PriceNotFoundError(
                    f"no fallback snapshot price for storage type {kind!r}",
                    field="storage_type",
                    value=kind,
                    region=region,
                    storage_type=kind,
                )
            return self._estimate(base, f"no price for region {region!r}")
        premium = self.snapshot_prices.get((region, "Premium_LRS"))
        if premium is None:
            premium = self.fallback_snapshot_prices.get("Premium_LRS")
        if premium is None:
            raise PriceNotFoundError(
                f"no snapshot price for storage type {kind!r} in {region} and no Premium_LRS"
                " price to estimate it from",
                field="storage_type",
                value=kind,
                region=region,
                storage_type=kind,
            )
        return self._estimate(premium, f"no price for storage type {kind!r}; Premium_LRS used")

    @staticmethod
    def _estimate(price: Price, why: str) -> Price:
        return attrs.evolve(
            price, origin=PriceOrigin.FALLBACK, source=f"estimate ({why}): {price.source}"
        )


def _record(kind: str, price: Price, **key: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "region": key.get("region"),
        "storage_type": key.get("storage_type"),
        "continent": key.get("continent"),
        "scope": key.get("scope"),
        "amount": price.amount,
        "currency": price.currency,
        "unit": price.unit,
        "origin": price.origin.value,
        "verified": price.verified,
        "as_of": price.as_of,
        "effective_from": price.effective_from,
        "meter_id": price.meter_id,
        "source": price.source,
    }


# -- the embedded table ------------------------------------------------------------------------


def _read_data(name: str) -> Any:
    text = resources.files("imagegallery.costs").joinpath("_data", name).read_text("utf-8")
    return json.loads(text)


def _continent_map(data: Mapping[str, Any]) -> dict[str, Continent]:
    out: dict[str, Continent] = {}
    try:
        for key, groups in data["continents"].items():
            continent = Continent(key)
            for region in (*groups["verified"], *groups["unverified"]):
                out[normalize_region(region)] = continent
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InvalidPriceDataError(
            f"malformed region → continent table: {err}", field="continents"
        ) from None
    return out


def _sheet_from_data(prices: Mapping[str, Any], regions: Mapping[str, Any]) -> PriceSheet:
    """Build a sheet from the embedded JSON format (see ``_data/default_prices.json``)."""
    try:
        currency = str(prices["currency"])
        as_of = date.fromisoformat(prices["as_of"])
        sources: Mapping[str, str] = prices["sources"]

        def price(
            amount: object, where: str, cells: Mapping[str, Any], *, unit: str, as_of: str, ok: Any
        ) -> Price:
            return Price(
                amount=_as_decimal(amount, where),
                currency=currency,
                unit=unit,
                source=sources[cells["source"]],
                origin=PriceOrigin.DEFAULT,
                as_of=as_of,
                verified=bool(ok),
            )

        snap = prices["snapshot"]
        unit = snap["unit"]
        columns = list(snap["columns"])
        types = columns[: columns.index("source")]

        def snapshot_row(row: Iterable[Any], where: str) -> dict[str, Price]:
            cells = dict(zip(columns, row, strict=True))
            day, verified = prices["as_of"], cells["verified"]
            return {
                kind: price(
                    cells[kind], f"{where}.{kind}", cells, unit=unit, as_of=day, ok=verified
                )
                for kind in types
            }

        snapshot: dict[tuple[str, str], Price] = {}
        for region, row in snap["regions"].items():
            for kind, found in snapshot_row(row, f"snapshot.regions.{region}").items():
                snapshot[(normalize_region(region), kind)] = found
        fallback = snapshot_row(snap["fallback"], "snapshot.fallback")

        egress_data = prices["egress"]
        egress: dict[tuple[Continent, str], Price] = {}
        for key, row in egress_data["continents"].items():
            cells = dict(zip(egress_data["columns"], row, strict=True))
            for scope in _SCOPES:
                where = f"egress.continents.{key}.{scope}"
                egress[(Continent(key), scope)] = price(
                    cells[scope],
                    where,
                    cells,
                    unit=egress_data["unit"],
                    as_of=egress_data["as_of"],
                    ok=egress_data["verified"],
                )
    except InvalidFieldError as err:
        raise InvalidPriceDataError(err.reason, field=err.field, value=err.value) from None
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InvalidPriceDataError(f"malformed price table: {err!r}", field="prices") from None
    return PriceSheet(
        currency=currency,
        as_of=as_of,
        snapshot_prices=snapshot,
        egress_prices=egress,
        continents=_continent_map(regions),
        fallback_snapshot_prices=fallback,
    )


@cache
def _default_sheet() -> PriceSheet:
    """The sheet of :meth:`PriceSheet.default`: read once, immutable, shared."""
    return _sheet_from_data(_read_data("default_prices.json"), _read_data("regions.json"))
