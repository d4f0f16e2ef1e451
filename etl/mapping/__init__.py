"""Stage 2, map: mapping files (declarative, one per council layout) and the engine."""

from .coverage import Coverage, Leftover, LineUse, Use
from .engine import MappingResult, apply_mapping
from .loader import Mapping, load_mapping, mapping_schema

__all__ = [
    "Coverage",
    "Leftover",
    "LineUse",
    "Mapping",
    "MappingResult",
    "Use",
    "apply_mapping",
    "load_mapping",
    "mapping_schema",
]
