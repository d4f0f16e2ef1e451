"""Where the bundled data lives: `mappings/` and `templates_xlsx/`.

In a source checkout (and an editable install) they sit beside the `etl` package; a
wheel carries them inside the package as `etl/_data/` (see pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def data_dir(name: str) -> Path:
    """`mappings` or `templates_xlsx`, from the wheel's data or the checkout."""
    bundled = _PACKAGE / "_data" / name
    return bundled if bundled.is_dir() else _PACKAGE.parent / name


def mappings_dir() -> Path:
    return data_dir("mappings")


def templates_dir() -> Path:
    return data_dir("templates_xlsx")
