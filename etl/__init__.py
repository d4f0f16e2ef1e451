"""shakyo-pdca: council plans and reports -> standard Excel PDCA workbooks.

The pipeline, one module per stage: `read` (documents -> lines), `mapping`
(lines -> canonical records, driven by a mapping file), `validate` (pandera),
`render` (xlsxwriter workbook). `convert` runs them in order; `collect_workbooks` reads
the filled workbooks back and consolidates them (`etl.collect`).
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .collect import CollectOutcome
from .collect import collect as _collect
from .convert import ConvertOutcome, bundled_samples, convert_document, convert_many
from .mapping import apply_mapping, load_mapping
from .model import Records
from .problems import EtlError, Problem, Severity
from .read import ReadOptions, read_document
from .render import render_workbook
from .validate import validate_records

__version__ = "0.1.0"

__all__ = [
    "CollectOutcome",
    "ConvertOutcome",
    "EtlError",
    "Problem",
    "ReadOptions",
    "Records",
    "Severity",
    "apply_mapping",
    "bundled_samples",
    "collect_workbooks",
    "convert_document",
    "convert_many",
    "load_mapping",
    "read_document",
    "validate_records",
]


def collect_workbooks(inputs: Sequence[str | Path], output: Path, **options: Any) -> CollectOutcome:
    """`etl.collect.collect` as the command line runs it: with the writer handed over, so
    that locked cells typed over on an unprotected sheet are reported (collect itself never
    imports render). `options` are those of `etl.collect.collect`."""
    options.setdefault("regenerate", render_workbook)
    return _collect(inputs, output, **options)
