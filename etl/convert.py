"""The convert pipeline: read -> map -> validate -> render, one document at a time.

This is the library API the CLI wraps. A bad document or mapping yields an outcome
with problems, never an exception, so that a batch always finishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .classify import classify_projects
from .fileio import safe_filename
from .mapping import MappingResult, apply_mapping, load_mapping
from .model import Records
from .problems import EtlError, Location, Problem, Severity, problem
from .read import ReadOptions, read_document
from .readback import read_filled_workbook
from .render import render_workbook
from .resources import mappings_dir
from .validate import validate_records

MAPPING_FILE = "mapping.yaml"


@dataclass
class ConvertOutcome:
    document: Path
    mapping: Path
    output: Path | None = None
    council: str = ""
    projects: int = 0
    unaccounted: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.output is not None and not any(p.severity is Severity.ERROR for p in self.problems)


def output_name(records: Records) -> str:
    council, doc = records.council, records.document
    return safe_filename(f"{council.id}_{council.name}_{doc.kind.ja}.xlsx")


def map_document(document: Path, mapping: Path) -> MappingResult:
    """Read `document` and apply `mapping` to it; raises `EtlError` if either is unusable."""
    loaded = load_mapping(mapping)
    result = apply_mapping(loaded, read_document(document, ReadOptions(**loaded.data.get("read", {}))))
    classify_projects(result.records.projects, loaded.data.get("categories"))
    return result


def convert_document(document: Path, mapping: Path, out_dir: Path, *, strict: bool = False) -> ConvertOutcome:
    """Convert one document with one mapping into a workbook in `out_dir`."""
    outcome = ConvertOutcome(document, mapping)
    try:
        result = map_document(document, mapping)
    except EtlError as err:
        outcome.problems.append(err.problem)
        return outcome
    records = result.records
    outcome.problems.extend(result.document.problems)
    outcome.council = records.council.name
    outcome.projects = len(records.projects)
    unaccounted = result.unaccounted
    outcome.unaccounted = len(unaccounted)
    severity = Severity.ERROR if strict else Severity.WARNING
    outcome.problems.extend(_unaccounted_problem(document, line.number, line.text, severity) for line in unaccounted)
    outcome.problems.extend(validate_records(records))
    if any(p.severity is Severity.ERROR for p in outcome.problems):
        return outcome
    target = out_dir / output_name(records)
    try:
        previous = read_filled_workbook(target) if target.exists() else None
        rendered = render_workbook(records, target, carry=previous)
    except EtlError as err:  # an unreadable previous workbook is never replaced
        outcome.problems.append(err.problem)
        return outcome
    outcome.problems.extend(rendered.problems)
    outcome.output = rendered.path
    return outcome


def _unaccounted_problem(document: Path, line: int, text: str, severity: Severity) -> Problem:
    return problem(
        "mapping.unaccounted_line",
        Location(file=str(document), line=line),
        ja=f"どの項目にも割り当てられていない行があります: {text.strip()[:40]}",
        en=f"line taken by no mapping rule: {text.strip()[:40]!r}",
        severity=severity,
        hint="マッピングファイルに項目のルールか ignore ルールを追加してください (shakyo-pdca mapping check)",
    )


def bundled_samples(root: Path | None = None) -> list[tuple[Path, Path]]:
    """(document, mapping) pairs: each folder of `mappings/` holds a mapping and its sample."""
    pairs = []
    for mapping in sorted((root or mappings_dir()).glob(f"*/{MAPPING_FILE}")):
        samples = sorted(p for p in mapping.parent.glob("sample.*") if p.is_file())
        pairs.extend((sample, mapping) for sample in samples)
    return pairs


def convert_many(pairs: list[tuple[Path, Path]], out_dir: Path, *, strict: bool = False) -> list[ConvertOutcome]:
    return [convert_document(doc, mapping, out_dir, strict=strict) for doc, mapping in pairs]
