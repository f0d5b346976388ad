"""What results use to build their tables, for the packages of every layer.

A result (an inventory, a resolution, an access decision, a cost report, a what-if) offers its
table as records, columns, a data frame and an HTML display. The pieces it builds them with sit
here, with the values, so that a result of any layer can use them without importing upwards:

* compact columns (the speed technique documented in ``imagegallery._speed``):
  :class:`RepeatedColumn` stores a value shared by many rows once, :class:`FieldColumn` reads a
  field of compact row tuples in place, :class:`BitColumn` a flag packed in an integer, and
  :class:`PatternedRows` keeps rows that share all but their first field;
  :func:`column_records` and :func:`column_lists` turn columns into rows and plain lists;
* :func:`column_dataframe`: the typed data frame of columns (the ``pandas`` extra; the column
  types are listed in :mod:`imagegallery.frames`, where users find ``to_dataframe``);
* escaped HTML for notebooks: :func:`html_table`, :func:`html_fields`, :func:`html_block` and
  :func:`html_count` (every text from the data goes through :func:`html.escape`).

Example:
    >>> columns = {"region": RepeatedColumn(["westeurope", "eastus"], [0, 1, 1])}
    >>> column_records(columns)[1], column_lists(columns)["region"]
    ({'region': 'eastus'}, ['westeurope', 'eastus', 'eastus'])
    >>> html_table(("region",), [("<b>",)])
    '<table><thead><tr><th>region</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
"""

from __future__ import annotations

from imagegallery._frames import dataframe as column_dataframe
from imagegallery._html import block as html_block
from imagegallery._html import count as html_count
from imagegallery._html import fields as html_fields
from imagegallery._html import table as html_table
from imagegallery._speed import Bits as BitColumn
from imagegallery._speed import Field as FieldColumn
from imagegallery._speed import Patterned as PatternedRows
from imagegallery._speed import Repeated as RepeatedColumn
from imagegallery._speed import as_lists as column_lists
from imagegallery._speed import records as column_records

__all__ = [
    "BitColumn",
    "FieldColumn",
    "PatternedRows",
    "RepeatedColumn",
    "column_dataframe",
    "column_lists",
    "column_records",
    "html_block",
    "html_count",
    "html_fields",
    "html_table",
]
