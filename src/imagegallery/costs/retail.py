"""Read Azure Retail Prices API pages: the snapshot and inter-region bandwidth meters.

The Retail Prices API (``GET https://prices.azure.com/api/retail/prices``) answers with pages
``{"BillingCurrency", "Items": [...], "NextPageLink", "Count"}``. This module accepts what people
keep of those answers and never calls the network:

* one page (a dict with ``Items``), or a list of pages;
* recorded request/response pairs (``{"name", "url", "body"}``, ``body`` being a page), or a list
  of them, as test suites record them;
* a bare list of items;
* JSON text of any of these, or a path (:class:`os.PathLike`) to a file holding it.

This module decides which rows of the pages are the prices of gallery replicas;
:meth:`PriceSheet.from_retail_prices <imagegallery.costs.PriceSheet.from_retail_prices>` layers
what it reads over a sheet.

Row selection, robust to the drift seen in real captures:

* snapshot meters: ``productName`` *Standard HDD Managed Disks* (``Standard_LRS``/``Standard_ZRS``)
  or *Premium SSD Managed Disks* (``Premium_LRS``), ``skuName`` *Snapshots LRS*/*Snapshots ZRS*, and
  a ``meterName`` that **ends with** *LRS Snapshots*/*ZRS Snapshots* (the same meter has been named
  ``Snapshots LRS Snapshots`` and ``LRS Snapshots``). Standard SSD and page-blob snapshot rows,
  which share the sku name, are not taken. Unit ``1 GB/Month``.
* bandwidth meters: ``serviceName`` *Bandwidth*, a ``productName`` containing *Inter-Region*, a
  ``meterName`` containing *Intra Continent* or *Inter Continent*; keyed by the row's region, or by
  the continent named in ``... - NAM or EU To Any`` when the row has no region.
* only ``type == "Consumption"`` rows (not ``Reservation``/``DevTestConsumption``), primary meter
  regions (``isPrimaryMeterRegion``), and the first tier (``tierMinimumUnits == 0``).
* ``retailPrice`` (else ``unitPrice``), read exactly as decimal text.
* several rows for one price: a row without ``effectiveEndDate`` wins, then the latest
  ``effectiveStartDate``, then the later row; a conflict is noted.

Hostile or broken input is an error naming its path in the input (``pages[0].NextPageLink``,
``rec.Items[3].retailPrice``) and showing the value, shortened; never a silent skip:

* every field this module reads must have its documented type when present and not null (text
  for names, units, dates, links and ids; a finite number for ``tierMinimumUnits`` and ``Count``;
  ``true``/``false`` for ``isPrimaryMeterRegion``; a number or decimal text for prices); currency
  codes are three letters;
* a selected price is a finite decimal from 0 to :data:`~imagegallery.costs.MAX_PRICE` with at most
  :data:`~imagegallery.costs.MAX_PRICE_PLACES` decimal places: ``"1e999999"``, ``NaN`` and
  ``Infinity`` are errors, never an infinite or zero price;
* JSON text must be strict JSON (``NaN`` and ``Infinity`` are not JSON numbers); input nests at
  most 32 levels deep (real pages nest 4); text is never read as a path, and a path must name a
  regular file.

What is noticed on the way (a ``NextPageLink`` whose page was not given, a ``Count`` that does not
match the items, rows skipped for their type or tier, an odd price) is kept in ``notes``.

Example:
    >>> from imagegallery.costs.retail import read_retail_prices
    >>> page = {"BillingCurrency": "USD", "NextPageLink": None, "Count": 1, "Items": [{
    ...     "currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": 0.05,
    ...     "armRegionName": "westeurope", "meterName": "Snapshots LRS Snapshots",
    ...     "productName": "Standard HDD Managed Disks", "skuName": "Snapshots LRS",
    ...     "serviceName": "Storage", "unitOfMeasure": "1 GB/Month", "type": "Consumption",
    ...     "isPrimaryMeterRegion": True, "meterId": "78dd126f-f855-4670-8038-fd66cf0f43b9"}]}
    >>> read = read_retail_prices(page)
    >>> read.currency, list(read.snapshot_prices)
    ('USD', [('westeurope', 'Standard_LRS')])
    >>> read.snapshot_prices["westeurope", "Standard_LRS"].amount
    Decimal('0.05')
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs

from imagegallery.costs.price import Continent, Price, PriceOrigin, _as_decimal
from imagegallery.errors import (
    CurrencyMismatchError,
    InvalidPriceDataError,
    InvalidRegionError,
    MalformedJsonError,
)
from imagegallery.regions import normalize_region

__all__ = ["RetailPrices", "read_retail_prices"]

_MAX_DEPTH: Final = 32  # real pages nest 4 levels

_NUMBER: Final = "number"
_PRICE: Final = "price"
_PRICE_KEY: Final = "retailPrice"
# The item fields this module reads, and the type each must have when present and not null.
_ITEM_FIELDS: Final = {
    "currencyCode": str,
    "tierMinimumUnits": _NUMBER,
    "retailPrice": _PRICE,
    "unitPrice": _PRICE,
    "armRegionName": str,
    "effectiveStartDate": str,
    "effectiveEndDate": str,
    "meterId": str,
    "meterName": str,
    "productName": str,
    "skuName": str,
    "serviceName": str,
    "unitOfMeasure": str,
    "type": str,
    "isPrimaryMeterRegion": bool,
}
_CURRENCY: Final = re.compile(r"[A-Za-z]{3}")
_INT_DIGITS: Final = 20
_MAX_COUNT: Final = 10**9
_LABEL_LENGTH: Final = 80

_SNAPSHOT_METERS: Final = {
    ("standard hdd managed disks", "snapshots lrs"): ("Standard_LRS", "lrs snapshots"),
    ("standard hdd managed disks", "snapshots zrs"): ("Standard_ZRS", "zrs snapshots"),
    ("premium ssd managed disks", "snapshots lrs"): ("Premium_LRS", "lrs snapshots"),
}
_SNAPSHOT_UNIT: Final = "1gb/month"
_BANDWIDTH_UNIT: Final = "1gb"
_METER_CONTINENTS: Final = {
    "nam": Continent.NORTH_AMERICA,
    "north america": Continent.NORTH_AMERICA,
    "eu": Continent.EUROPE,
    "europe": Continent.EUROPE,
    "asia": Continent.ASIA,
    "oceania": Continent.OCEANIA,
    "mea": Continent.MIDDLE_EAST_AFRICA,
    "middle east and africa": Continent.MIDDLE_EAST_AFRICA,
    "sam": Continent.SOUTH_AMERICA,
    "south america": Continent.SOUTH_AMERICA,
}


@attrs.frozen(kw_only=True)
class RetailPrices:
    """The gallery-relevant prices found in Retail Prices API pages.

    Attributes:
        currency: The currency of the selected rows (``None`` when no row was selected).
        snapshot_prices: ``(region, storage type) -> Price`` per GB-month.
        region_egress_prices: ``(source region, "intra" | "inter") -> Price`` per GB.
        continent_egress_prices: ``(source continent, scope) -> Price`` per GB, from bandwidth
            rows that name a continent rather than a region.
        pages: How many pages were read.
        items: How many items the pages held.
        notes: What was noticed while reading.

    Example:
        >>> from imagegallery.costs import read_retail_prices
        >>> read = read_retail_prices({"Items": [], "Count": 3})
        >>> read.pages, read.items, read.currency, read.notes
        (1, 0, None, ('page 1 (pages) says Count=3 but holds 0 items',))
    """

    currency: str | None
    snapshot_prices: Mapping[tuple[str, str], Price]
    region_egress_prices: Mapping[tuple[str, str], Price]
    continent_egress_prices: Mapping[tuple[Continent, str], Price]
    pages: int
    items: int
    notes: tuple[str, ...]


@attrs.frozen
class _Row:
    key: tuple[Any, str]
    price: Price
    open_ended: bool
    start: str
    order: int
    label: str


def read_retail_prices(pages: Any) -> RetailPrices:
    """Select the snapshot and bandwidth prices from Retail Prices API pages.

    Args:
        pages: One page, several, recorded request/response pairs, a list of items, JSON text,
            or a path to a JSON file (see the module documentation).

    Returns:
        The selected prices, with notes on what was skipped or doubtful.

    Raises:
        InvalidPriceDataError: The input is not Retail Prices API data, or a selected row has a
            price that is not a non-negative number.
        MalformedJsonError: JSON text or a file does not parse.
        CurrencyMismatchError: The selected rows are in more than one currency.

    Example:
        >>> from imagegallery.costs.retail import read_retail_prices
        >>> read = read_retail_prices({"Items": [], "NextPageLink": "https://prices.azure.com/x"})
        >>> read.snapshot_prices, read.notes[0]
        ({}, 'page 1 (pages) has a NextPageLink ... not given: prices may be incomplete')
    """
    _check_depth(pages, "pages")
    loaded = list(_pages(pages, "pages", None))
    given_urls = {url for _, _, url in loaded if url}
    notes: list[str] = []
    rows: list[_Row] = []
    currencies: set[str] = set()
    skipped: dict[str, int] = {}
    n_items = 0
    for number, (label, page, _url) in enumerate(loaded, start=1):
        where = f"page {number} ({label})"
        items = page.get("Items")
        if not isinstance(items, list):
            raise InvalidPriceDataError(
                "'Items' must be a list", field=f"{label}.Items", value=items
            )
        n_items += len(items)
        next_link = _typed(page, "NextPageLink", str, label)
        if next_link and next_link not in given_urls:
            notes.append(
                f"{where} has a NextPageLink whose page was not given: prices may be incomplete"
            )
        count = _typed(page, "Count", _NUMBER, label)
        if count is not None and not 0 <= count <= _MAX_COUNT:
            raise InvalidPriceDataError(
                f"'Count' must be from 0 to {_MAX_COUNT:,}", field=f"{label}.Count", value=count
            )
        if count is not None and count != len(items):
            notes.append(f"{where} says Count={count} but holds {len(items)} items")
        page_currency = _currency(page, "BillingCurrency", label)
        for index, item in enumerate(items):
            field = f"{label}.Items[{index}]"
            if not isinstance(item, Mapping):
                raise InvalidPriceDataError(
                    "an item must be a JSON object", field=field, value=item
                )
            for name, kind in _ITEM_FIELDS.items():
                _typed(item, name, kind, field)
            row = _select(item, field, label, len(rows), skipped)
            if row is None:
                continue
            currency = _currency(item, "currencyCode", field) or page_currency
            if currency:
                currencies.add(currency)
            rows.append(row)
    if len(currencies) > 1:
        raise CurrencyMismatchError(
            "the selected rows are in more than one currency",
            field="currencyCode",
            value=sorted(currencies),
        )
    currency = next(iter(currencies)) if currencies else None
    for reason, n in sorted(skipped.items()):
        notes.append(f"skipped {n} gallery-relevant row(s): {reason}")
    chosen = _choose(rows, notes)
    snapshot: dict[tuple[str, str], Price] = {}
    by_region: dict[tuple[str, str], Price] = {}
    by_continent: dict[tuple[Continent, str], Price] = {}
    for key, price in chosen.items():
        owner, scope = key
        fixed = attrs.evolve(price, currency=currency or price.currency)
        if scope in ("intra", "inter"):
            if isinstance(owner, Continent):
                by_continent[(owner, scope)] = fixed
            else:
                by_region[(owner, scope)] = fixed
        else:
            snapshot[(owner, scope)] = fixed
    _check_anomalies(snapshot, notes)
    return RetailPrices(
        currency=currency,
        snapshot_prices=dict(sorted(snapshot.items())),
        region_egress_prices=dict(sorted(by_region.items())),
        continent_egress_prices=by_continent,
        pages=len(loaded),
        items=n_items,
        notes=tuple(notes),
    )


# -- input shapes ------------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_int(digits: str) -> int | Decimal:
    # Long integers are read as Decimal (no digit limit) and judged by the price rules.
    return int(digits) if len(digits) <= _INT_DIGITS else Decimal(digits)


def _parse_json(text: str | bytes, label: str) -> Any:
    try:
        if isinstance(text, bytes):
            text = text.decode(json.detect_encoding(text))
        return json.loads(
            text, parse_float=Decimal, parse_int=_json_int, parse_constant=_no_constant
        )
    except RecursionError:
        raise MalformedJsonError(
            f"not JSON this library reads: nested more than {_MAX_DEPTH} levels deep",
            field=label,
        ) from None
    except (ValueError, UnicodeDecodeError) as err:
        raise MalformedJsonError(f"not JSON: {err}", field=label) from None


def _check_depth(source: Any, label: str) -> None:
    """Reject input nested more than 32 levels deep (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(source, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children: Any = value.values()
        elif isinstance(value, list | tuple):
            children = value
        else:
            continue
        if depth > _MAX_DEPTH:
            raise InvalidPriceDataError(
                f"nested more than {_MAX_DEPTH} levels deep",
                field=label,
                value=type(value).__name__,
            )
        stack.extend((child, depth + 1) for child in children)


def _clip(text: str) -> str:
    return text if len(text) <= _LABEL_LENGTH else text[: _LABEL_LENGTH - 3] + "..."


def _read_file(path: Path, label: str) -> bytes:
    try:
        if not path.is_file():
            raise InvalidPriceDataError(
                "not a regular file (a path must name a JSON file)", field=label, value=str(path)
            )
        return path.read_bytes()
    except OSError as err:
        raise InvalidPriceDataError(
            f"cannot read the file: {err.strerror or err}", field=label, value=str(path)
        ) from None


def _pages(
    source: Any, label: str, url: str | None
) -> Iterator[tuple[str, Mapping[str, Any], str | None]]:
    if isinstance(source, os.PathLike):
        path = Path(source)
        parsed = _parse_json(_read_file(path, label), _clip(str(path)))
        _check_depth(parsed, _clip(str(path)))
        yield from _pages(parsed, _clip(path.name), None)
    elif isinstance(source, str | bytes | bytearray):
        parsed = _parse_json(bytes(source) if isinstance(source, bytearray) else source, label)
        _check_depth(parsed, label)
        yield from _pages(parsed, label, url)
    elif isinstance(source, Mapping):
        if "Items" in source:
            yield label, source, url
        elif "body" in source:
            name = _typed(source, "name", str, label)
            recorded_url = _typed(source, "url", str, label)
            sub = _clip(name or recorded_url or label)
            yield from _pages(source["body"], sub, recorded_url)
        else:
            raise InvalidPriceDataError(
                "not a Retail Prices API page (no 'Items') nor a recorded response (no 'body')",
                field=label,
                value=sorted(str(k) for k in source)[:6],
            )
    elif isinstance(source, list | tuple):
        if source and all(isinstance(i, Mapping) and "meterName" in i for i in source):
            yield label, {"Items": list(source)}, url
            return
        for index, sub in enumerate(source):
            yield from _pages(sub, f"{label}[{index}]", None)
    else:
        raise InvalidPriceDataError(
            "expected Retail Prices API pages: a dict, a list, JSON text or a path",
            field=label,
            value=type(source).__name__,
        )


def _typed(data: Mapping[Any, Any], key: str, kind: Any, where: str) -> Any:
    """``data[key]``, ``None`` when absent or null; of the documented type, else an error."""
    value = data.get(key)
    if value is None:
        return None
    if kind is _NUMBER:
        ok = _finite_number(value)
        what = "a finite number"
    elif kind is _PRICE:
        ok = isinstance(value, int | Decimal | float | str) and not isinstance(value, bool)
        what = "a number"
    else:
        ok = isinstance(value, kind)
        what = {str: "text", bool: "true or false"}[kind]
    if not ok:
        raise InvalidPriceDataError(f"'{key}' must be {what}", field=f"{where}.{key}", value=value)
    return value


def _finite_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, Decimal) and value.is_finite()


def _currency(data: Mapping[Any, Any], key: str, where: str) -> str | None:
    value: str | None = _typed(data, key, str, where)
    if not value:
        return None
    if not _CURRENCY.fullmatch(value):
        raise InvalidPriceDataError(
            "a currency is a three-letter ISO 4217 code", field=f"{where}.{key}", value=value
        )
    return value.upper()


# -- row selection -----------------------------------------------------------------------------


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)  # its type was checked with the item's other fields
    return value.strip().casefold() if isinstance(value, str) else ""


def _select(
    item: Mapping[str, Any], field: str, label: str, order: int, skipped: dict[str, int]
) -> _Row | None:
    product = _text(item, "productName")
    meter = _text(item, "meterName")
    service = _text(item, "serviceName")
    unit = _text(item, "unitOfMeasure").replace(" ", "")
    key: tuple[Any, str] | None = None
    if service in ("", "storage"):
        match = _SNAPSHOT_METERS.get((product, _text(item, "skuName")))
        if match is None or not meter.endswith(match[1]):
            return None
        expected_unit = _SNAPSHOT_UNIT
        region = _region(item)
        if region is None:
            skipped["snapshot row without an armRegionName"] = (
                skipped.get("snapshot row without an armRegionName", 0) + 1
            )
            return None
        key = (region, match[0])
        price_unit = "1 GB/Month"
    elif service == "bandwidth" and "inter-region" in product:
        scope = (
            "intra"
            if "intra continent" in meter
            else "inter"
            if "inter continent" in meter
            else None
        )
        if scope is None:
            return None
        expected_unit = _BANDWIDTH_UNIT
        owner: Any = _region(item)
        if owner is None:
            owner = _meter_continent(meter)
        if owner is None:
            skipped["bandwidth row with neither a region nor a continent"] = (
                skipped.get("bandwidth row with neither a region nor a continent", 0) + 1
            )
            return None
        key = (owner, scope)
        price_unit = "1 GB"
    else:
        return None
    kind = _text(item, "type")
    if kind != "consumption":
        reason = f"type {item.get('type')!r} (only Consumption is kept)"
        skipped[reason] = skipped.get(reason, 0) + 1
        return None
    if item.get("isPrimaryMeterRegion") is False:
        skipped["not the primary meter region"] = skipped.get("not the primary meter region", 0) + 1
        return None
    tier = item.get("tierMinimumUnits", 0)
    if tier not in (0, None):
        skipped["not the first price tier"] = skipped.get("not the first price tier", 0) + 1
        return None
    if unit != expected_unit:
        reason = f"unit {item.get('unitOfMeasure')!r} (expected {price_unit!r})"
        skipped[reason] = skipped.get(reason, 0) + 1
        return None
    raw = item.get(_PRICE_KEY, item.get("unitPrice"))
    amount = _as_decimal(
        raw,
        f"{field}.{_PRICE_KEY if _PRICE_KEY in item else 'unitPrice'}",
        error=InvalidPriceDataError,
        floats=True,
    )
    start = item.get("effectiveStartDate")
    start_text = start if isinstance(start, str) else ""
    meter_id = item.get("meterId")
    name = item.get("meterName")
    price = Price(
        amount=amount,
        currency=str(item.get("currencyCode") or ""),
        unit=price_unit,
        source=f"Azure Retail Prices API, {label}: {item.get('productName')}"
        f" / {item.get('skuName')} / {name} ({item.get('armRegionName') or 'no region'})",
        origin=PriceOrigin.RETAIL,
        verified=True,
        meter_id=meter_id if isinstance(meter_id, str) else None,
        effective_from=start_text[:10] or None,
    )
    return _Row(key, price, not item.get("effectiveEndDate"), start_text, order, label)


def _region(item: Mapping[str, Any]) -> str | None:
    value = item.get("armRegionName")
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return normalize_region(value)
    except InvalidRegionError:
        return None


def _meter_continent(meter: str) -> Continent | None:
    if " - " not in meter or " to any" not in meter:
        return None
    names = meter.rsplit(" - ", 1)[1].removesuffix(" to any")
    found = {_METER_CONTINENTS.get(part.strip()) for part in names.split(" or ")}
    if len(found) != 1 or None in found:
        return None
    return found.pop()


def _choose(rows: list[_Row], notes: list[str]) -> dict[tuple[Any, str], Price]:
    best: dict[tuple[Any, str], _Row] = {}
    for row in rows:
        held = best.get(row.key)
        if held is None:
            best[row.key] = row
            continue
        rank_new = (row.open_ended, row.start, row.order)
        rank_old = (held.open_ended, held.start, held.order)
        winner, loser = (row, held) if rank_new > rank_old else (held, row)
        if winner.price.amount != loser.price.amount:
            owner, kind = row.key
            what = owner.value if isinstance(owner, Continent) else owner
            notes.append(
                f"two rows price {kind} in {what}: {winner.price.amount} ({winner.label},"
                f" effective {winner.start[:10] or '?'}) kept over {loser.price.amount}"
                f" ({loser.label}, effective {loser.start[:10] or '?'})"
            )
        best[row.key] = winner
    return {key: row.price for key, row in best.items()}


def _check_anomalies(snapshot: Mapping[tuple[str, str], Price], notes: list[str]) -> None:
    for (region, kind), price in sorted(snapshot.items()):
        if price.amount == 0:
            notes.append(f"the {kind} snapshot price in {region} is zero")
        if kind == "Premium_LRS":
            standard = snapshot.get((region, "Standard_LRS"))
            if standard is not None and price.amount < standard.amount:
                notes.append(
                    f"the Premium_LRS snapshot price in {region} ({price.amount}) is below the"
                    f" Standard_LRS price ({standard.amount}): check the page"
                )
