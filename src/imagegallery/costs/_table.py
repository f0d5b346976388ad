"""The embedded default price table and region → continent map (``_data/*.json``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from imagegallery.costs.price import Continent, Price, PriceOrigin, _as_decimal
from imagegallery.costs.prices import PriceSheet
from imagegallery.errors import InvalidFieldError, InvalidPriceDataError
from imagegallery.regions import normalize_region

__all__: list[str] = []

_SCOPES = ("intra", "inter")


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
        snap = prices["snapshot"]
        columns = list(snap["columns"])
        types = columns[: columns.index("source")]

        def snapshot_row(row: Iterable[Any], where: str) -> dict[str, Price]:
            cells = dict(zip(columns, row, strict=True))
            return {
                kind: Price(
                    amount=_as_decimal(cells[kind], f"{where}.{kind}"),
                    currency=currency,
                    unit=snap["unit"],
                    source=sources[cells["source"]],
                    origin=PriceOrigin.DEFAULT,
                    as_of=prices["as_of"],
                    verified=bool(cells["verified"]),
                )
                for kind in types
            }

        snapshot: dict[tuple[str, str], Price] = {}
        for region, row in snap["regions"].items():
            for kind, price in snapshot_row(row, f"snapshot.regions.{region}").items():
                snapshot[(normalize_region(region), kind)] = price
        fallback = snapshot_row(snap["fallback"], "snapshot.fallback")

        egress_data = prices["egress"]
        egress: dict[tuple[Continent, str], Price] = {}
        for key, row in egress_data["continents"].items():
            cells = dict(zip(egress_data["columns"], row, strict=True))
            for scope in _SCOPES:
                egress[(Continent(key), scope)] = Price(
                    amount=_as_decimal(cells[scope], f"egress.continents.{key}.{scope}"),
                    currency=currency,
                    unit=egress_data["unit"],
                    source=sources[cells["source"]],
                    origin=PriceOrigin.DEFAULT,
                    as_of=egress_data["as_of"],
                    verified=bool(egress_data["verified"]),
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
def default_sheet() -> PriceSheet:
    """The sheet of :meth:`PriceSheet.default` (built once)."""
    return _sheet_from_data(_read_data("default_prices.json"), _read_data("regions.json"))
