"""Every problem code, declared once in `catalogue.yaml`: its severity and what it means,
in Japanese and English.

A call site says what happened at its place (`problem(code, location, ja=..., en=...)`);
the catalogue says what the code means in general, for the table in `docs/problems.md`
(`python -m etl.problems > docs/problems.md`), and gives the severity a problem has when
its call site does not choose one. A code is `<stage>.<what>`; codes built from a check's
name are declared as a family, with `<...>` for the part that varies.
`tests/test_problem_catalogue.py` fails when the source uses a code declared nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from ..config.yamlsafe import load_yaml

CATALOGUE = Path(__file__).with_name("catalogue.yaml")
_VARYING = re.compile(r"<[^>]+>")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # listed for the reader, not a fault: does not change the exit code

    @property
    def ja(self) -> str:
        return {"error": "エラー", "warning": "警告", "info": "情報"}[self.value]


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    ja: str
    en: str

    @property
    def family(self) -> re.Pattern[str] | None:
        """For a family (`record.<table>.<check>`), what its codes look like."""
        if "<" not in self.code:
            return None
        return re.compile("[^.]+".join(map(re.escape, _VARYING.split(self.code))) + "$")


@cache
def codes() -> tuple[Code, ...]:
    """The declarations, in the catalogue's order. A broken catalogue is a defect of the tool: it raises."""
    data = load_yaml(CATALOGUE.read_text(encoding="utf-8")).data
    return tuple(Code(code, Severity(fields["severity"]), fields["ja"], fields["en"]) for code, fields in data.items())


@cache
def _exact() -> dict[str, Code]:
    return {c.code: c for c in codes() if c.family is None}


def declared(code: str) -> Code | None:
    """The declaration of `code`: its own, or that of the family a built code belongs to."""
    found = _exact().get(code)
    if found is not None:
        return found
    return next((c for c in codes() if c.family is not None and c.family.match(code)), None)


def as_markdown() -> str:
    """The whole of `docs/problems.md`."""
    lines = [
        "# Problem codes",
        "",
        "Every problem the tool reports carries one of these codes. This page is generated from",
        "`etl/problems/catalogue.yaml` (`python -m etl.problems > docs/problems.md`); a test keeps",
        "it current. The severity is the usual one: `mapping.unaccounted_text` is an error with",
        "`--strict`, a date typed in a text cell is a warning. `<...>` stands for the name of a check.",
        "",
        "| code | severity | 意味 | meaning |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{c.code}` | {c.severity.value} | {c.ja} | {c.en} |" for c in codes()]
    return "\n".join(lines) + "\n"
