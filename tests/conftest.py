from pathlib import Path

import pytest

from tests.golden import convert_samples

REPO = Path(__file__).resolve().parent.parent
MAPPINGS = REPO / "mappings"


@pytest.fixture
def komoro() -> tuple[Path, Path]:
    """The bundled 小諸市 sample and its mapping."""
    folder = MAPPINGS / "komoro"
    return folder / "sample.txt", folder / "mapping.yaml"


@pytest.fixture(scope="session")
def bundled_workbooks(tmp_path_factory) -> list[Path]:
    """The five bundled samples converted once for the whole test run; treat them as read-only."""
    return convert_samples(tmp_path_factory.mktemp("bundled"))
