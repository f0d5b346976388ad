"""The cost report as a table: columns read from the compact line table."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given, settings

from imagegallery import ImageVersion, sample_inventory
from imagegallery.costs import CostLine, CostReport, PriceSheet, SizeSource, estimate_cost
from tests.costs._strategies import shared_layouts, version_lists

DEFAULT = PriceSheet.default()


def line_record(line: CostLine, currency: str) -> dict[str, Any]:
    """The record of one line, read from the CostLine view (the obviously-correct oracle)."""
    rid = line.version_id
    return {
        "subscription_id": line.subscription_id,
        "resource_group": rid.resource_group,
        "gallery": rid.gallery,
        "definition": rid.image,
        "version": rid.version,
        "version_id": str(rid),
        "region": line.region,
        "source_region": line.source_region,
        "storage_type": line.storage_type,
        "replicas": line.replicas,
        "size_gb": line.size_gb,
        "size_source": line.size_source.value,
        "unit_price": line.unit_price,
        "monthly": line.monthly,
        "egress_gb": line.egress_gb,
        "egress_unit_price": line.egress_unit_price,
        "egress": line.egress,
        "currency": currency,
        "storage_type_assumed": line.storage_type_assumed,
        "price_estimated": line.price_estimated,
        "size_estimated": line.size_source is SizeSource.UPPER_BOUND,
        "storage_verified": line.storage_verified,
        "egress_verified": line.egress_verified,
        "shallow": line.shallow,
        "kind": line.kind.value,
    }


@given(version_lists())
def test_records_match_the_line_views(items: list[ImageVersion]) -> None:
    report = estimate_cost(items, DEFAULT)
    oracle = [line_record(line, report.currency) for line in report.lines]
    assert report.to_records() == oracle
    columns = report.to_columns()
    assert list(columns) == list(oracle[0]) if oracle else len(columns) == 25
    assert dict(columns.items()) == {k: [r[k] for r in oracle] for k in columns}


def test_records_of_selected_lines_and_of_the_sample() -> None:
    full = estimate_cost(sample_inventory())
    eu = CostReport.from_lines(
        [line for line in full.lines if line.region == "westeurope"], prices=full.prices
    )
    assert {r["region"] for r in eu.to_records()} == {"westeurope"}
    assert eu.to_records() == [r for r in full.to_records() if r["region"] == "westeurope"]


def test_the_display_sums_by_region_and_storage_type() -> None:
    html = estimate_cost(sample_inventory())._repr_html_()
    assert "<caption>By region</caption>" in html
    assert "<td>westeurope</td><td>18</td><td>28.0450</td><td>1.875</td><td>no</td>" in html
    assert "<caption>By storage type</caption>" in html


AMOUNTS = ("size_gb", "unit_price", "monthly", "egress_gb", "egress_unit_price", "egress")


@settings(max_examples=60, deadline=None)
@given(shared_layouts())
def test_frame_columns_are_the_records_converted_one_by_one(items: list[ImageVersion]) -> None:
    """Columns converted once per distinct row equal the records converted value by value:
    amounts are exactly ``float(Decimal)`` (or the same Decimal objects' values and digits with
    ``exact=True``), every other column the record's value; for the estimator's patterned rows
    and for rows packed from lines alike."""
    report = estimate_cost(items, DEFAULT)
    repacked = CostReport.from_lines(report.lines, prices=DEFAULT)
    records = report.to_records()
    assert repacked.to_records() == records
    for source in (report, repacked):
        frame = source.to_dataframe()
        exact = source.to_dataframe(exact=True)
        assert list(frame.columns) == list(records[0]) if records else len(frame.columns) == 25
        for name in frame.columns:
            values = [r[name] for r in records]
            if name in AMOUNTS:
                assert frame[name].dtype.name == "float64"
                assert frame[name].tolist() == [float(v) for v in values]
                assert [repr(v) for v in exact[name].tolist()] == [repr(v) for v in values]
            else:
                assert [None if v is pd.NA else v for v in frame[name].tolist()] == values
