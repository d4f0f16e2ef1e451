"""The package keeps the shape issue 17 gave it: the workbook format has one home that
render writes and collect reads, neither importing the other; file names say one thing
each; few modules stay loose at the top."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ETL = Path(__file__).resolve().parent.parent / "etl"
MAX_TOP_LEVEL_MODULES = 10


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports (type-checking imports too), as absolute dotted names."""
    package = ".".join(path.relative_to(ETL.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def imports_of(package: str) -> dict[str, set[str]]:
    return {str(p.relative_to(ETL.parent)): imported_modules(p) for p in (ETL / package).rglob("*.py")}


def test_collect_imports_nothing_of_render():
    offending = {f: sorted(m for m in ms if m.startswith("etl.render")) for f, ms in imports_of("collect").items()}
    assert {f: ms for f, ms in offending.items() if ms} == {}


def test_render_imports_nothing_of_collect_or_read_back():
    reading = ("etl.collect", "etl.workbook.readback", "etl.workbook.xlsxparts")
    offending = {f: sorted(m for m in ms if m.startswith(reading)) for f, ms in imports_of("render").items()}
    assert {f: ms for f, ms in offending.items() if ms} == {}


def test_no_two_modules_share_a_file_name():
    names = Counter(p.name for p in ETL.rglob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert [name for name, n in names.items() if n > 1] == []


def test_few_modules_stay_at_the_top_level():
    loose = sorted(p.name for p in ETL.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert len(loose) <= MAX_TOP_LEVEL_MODULES, loose
