"""The problem catalogue is complete and its table current.

Codes are found in the source the way a reader finds them: the argument given for a
parameter called `code` (of a function, or a field of a class such as `Finding`), as a
string or an f-string (whose varying parts must belong to a declared family)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from etl.problems import Location, Severity, problem
from etl.problems.catalogue import as_markdown, codes, declared

REPO = Path(__file__).resolve().parent.parent
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_<>]+)+$")
DOCS = REPO / "docs" / "problems.md"


def trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted((REPO / "etl").rglob("*.py"))}


def code_parameters(modules: dict[Path, ast.Module]) -> dict[str, int | None]:
    """Callable name -> position of its `code` parameter (None: keyword only)."""
    found: dict[str, int | None] = {}
    for tree in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
                if "code" in names:
                    found[node.name] = names.index("code")
                elif "code" in (a.arg for a in node.args.kwonlyargs):
                    found[node.name] = None
            elif isinstance(node, ast.ClassDef):
                fields = [
                    s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                ]
                if "code" in fields:
                    found[node.name] = fields.index("code")
    return found


def used_codes() -> Iterator[tuple[str, str, str | None]]:
    """(where, code, severity named at the call) for every code written in etl/; an f-string
    code as a family, `<>` for each varying part."""
    modules = trees()
    parameters = code_parameters(modules)
    for path, tree in modules.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in parameters:
                continue
            position = parameters[name]
            argument = next((k.value for k in node.keywords if k.arg == "code"), None)
            if argument is None and position is not None and position < len(node.args):
                argument = node.args[position]
            severity = next((k.value for k in node.keywords if k.arg == "severity"), None)
            named = severity.attr if isinstance(severity, ast.Attribute) else None
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and CODE.match(argument.value):
                yield where, argument.value, named
            elif isinstance(argument, ast.JoinedStr):
                parts = (v.value if isinstance(v, ast.Constant) else "<>" for v in argument.values)
                yield where, "".join(parts), named


def test_the_source_is_scanned_for_codes():
    codes = {code for _, code, _ in used_codes()}
    assert {"file.empty", "value.not_a_number", "record.<>.<>"} <= codes


def test_every_code_used_is_declared():
    undeclared = [f"{where}: {code}" for where, code, _ in used_codes() if declared(_example(code)) is None]
    assert undeclared == [], "declare these in etl/problems/catalogue.yaml"


def test_a_code_built_from_a_name_belongs_to_a_declared_family():
    families = {code for _, code, _ in used_codes() if "<>" in code}
    for family in families:
        found = declared(_example(family))
        assert found is not None and "<" in found.code, family


def test_a_severity_named_at_a_call_is_the_declared_one():
    differing = [
        f"{where}: {code} is {named.lower()} here, {declared(_example(code)).severity.value} in the catalogue"
        for where, code, named in used_codes()
        if named is not None
        and declared(_example(code)) is not None
        and Severity[named] is not declared(_example(code)).severity
    ]
    assert differing == []


def test_every_declared_code_is_used():
    used = {declared(_example(code)) for _, code, _ in used_codes()}
    assert [c.code for c in codes() if c not in used] == []


def test_declarations_are_bilingual_and_unique():
    assert len({c.code for c in codes()}) == len(codes())
    for code in codes():
        assert CODE.match(code.code) and code.ja and code.en, code


def test_a_problem_takes_its_declared_severity_unless_told():
    assert problem("file.macros", Location(), ja="マクロ", en="macros").severity is Severity.WARNING
    assert problem("record.projects.str_length", Location(), ja="規則", en="check").severity is Severity.ERROR
    told = problem("mapping.unaccounted_line", Location(), ja="行", en="line", severity=Severity.ERROR)
    assert told.severity is Severity.ERROR


def test_the_docs_table_is_current():
    """Regenerate with `python -m etl.problems > docs/problems.md`."""
    assert DOCS.read_text(encoding="utf-8") == as_markdown()


def _example(code: str) -> str:
    """A concrete code for a family found in the source: each varying part as a name."""
    return code.replace("<>", "x")
