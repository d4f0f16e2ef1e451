"""Every pattern of a mapping file is compiled here, the same way: width-free."""

from __future__ import annotations

import re
from functools import lru_cache

from .width import width_free


@lru_cache(maxsize=1024)
def compile_pattern(source: str) -> re.Pattern[str]:
    """`source` as a regular expression that does not care about width (see `width`)."""
    return re.compile(width_free(source))
