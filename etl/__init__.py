"""shakyo-pdca: council plans and reports -> standard Excel PDCA workbooks.

The pipeline, one module per stage: `read` (documents -> lines), `mapping`
(lines -> canonical records, driven by a mapping file), `validate` (pandera),
`render` (xlsxwriter workbook). `convert` runs them in order.
"""

from .convert import ConvertOutcome, bundled_samples, convert_document, convert_many
from .mapping import apply_mapping, load_mapping
from .model import Records
from .problems import EtlError, Problem, Severity
from .read import ReadOptions, read_document
from .validate import validate_records

__version__ = "0.1.0"

__all__ = [
    "ConvertOutcome",
    "EtlError",
    "Problem",
    "ReadOptions",
    "Records",
    "Severity",
    "apply_mapping",
    "bundled_samples",
    "convert_document",
    "convert_many",
    "load_mapping",
    "read_document",
    "validate_records",
]
