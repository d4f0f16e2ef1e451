from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MAPPINGS = REPO / "mappings"


@pytest.fixture
def komoro() -> tuple[Path, Path]:
    """The bundled 小諸市 sample and its mapping."""
    folder = MAPPINGS / "komoro"
    return folder / "sample.txt", folder / "mapping.yaml"
