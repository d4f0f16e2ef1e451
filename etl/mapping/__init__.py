"""Stage 2, map: mapping files (declarative, one per council layout) and the engine."""

from .engine import Coverage, LineUse, MappingResult, apply_mapping
from .loader import Mapping, load_mapping

__all__ = ["Coverage", "LineUse", "Mapping", "MappingResult", "apply_mapping", "load_mapping"]
