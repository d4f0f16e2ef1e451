"""The convert pipeline: read -> map -> validate -> render, one document at a time.

This is the library API the CLI wraps. A bad document or mapping yields an outcome
with problems, never an exception, so that a batch always finishes.

    pairs = find_documents(["受信/"])          # council folders, each with mapping.yaml
    batch = convert_batch(pairs, Path("output"), jobs=None)   # all cores, with a log

`find_documents` decides which mapping converts which document: with a mapping given,
every document found (files, folders searched recursively, globs) uses it; without,
every `mapping.yaml` found under the inputs converts the documents beside it (a folder
of council folders like `mappings/`, or one council folder).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .batch import (
    LOG_NAME,
    Crash,
    Done,
    FileSummary,
    Interrupted,
    Plan,
    Progress,
    append_log,
    crash_problem,
    interrupted_problem,
    run_each,
)
from .config.resources import mappings_dir
from .fileio import remove_leftovers, safe_filename
from .inputs import LOCK_PREFIX, expand_inputs, glob_paths, readable_name, within
from .mapping import MappingResult, apply_mapping, load_mapping
from .mapping.classify import classify_projects
from .mapping.outcomes import is_low, mapped_percent, strict_problems
from .mapping.patterns import DEFAULT_TIME_LIMIT, PatternTimeout, time_limit, timeout_problem
from .model import DocumentKind, Records
from .problems import EtlError, Location, Problem, Problems, Severity, problem
from .read import READERS, ReadOptions, read_document
from .render import render_workbook
from .repeated import Unlisted, keep_first
from .validate import validate_records
from .workbook.carryover import carry_over
from .workbook.previous import PreviousSource, read_previous
from .workbook.readback import read_filled_workbook

MAPPING_FILE = "mapping.yaml"
# What may be a document: what a reader takes, and the old formats refused with advice.
DOCUMENT_SUFFIXES = (*READERS, ".doc", ".xls")
_GLOB_CHARS = frozenset("*?[")


@dataclass
class ConvertOutcome:
    document: Path
    mapping: Path | None  # None when no mapping was found for the input
    output: Path | None = None
    council: str = ""
    projects: int = 0
    unaccounted: int = 0  # non-whitespace characters no mapping rule took
    mapped_percent: int | None = None  # share of the document's characters the mapping took (None: no text)
    problems: Problems = field(default_factory=Problems)
    seconds: float = field(default=0.0, compare=False)
    unlisted: list[Unlisted] = field(default_factory=list)  # counts of the problems not kept (repeated.py)

    @property
    def ok(self) -> bool:
        return self.output is not None and not self.problems.has_errors

    @property
    def status(self) -> str:
        if not self.ok:
            return "failed"
        return "warnings" if any(p.severity is Severity.WARNING for p in self.problems) else "ok"

    @property
    def note(self) -> str:
        """What the closing table says beside the file: no project, low coverage, what the infos counted."""
        notes = ["0 projects"] if self.council and not self.projects else []
        if is_low(self.mapped_percent):
            notes.append(f"low coverage: {self.mapped_percent}% of characters mapped")
        infos = Counter(p.code for p in self.problems if p.severity is Severity.INFO)
        notes.extend(f"{code.rpartition('.')[2].replace('_', ' ')}: {count}" for code, count in sorted(infos.items()))
        return "; ".join(notes)

    def summary(self) -> FileSummary:
        shown = _shown(self.problems)
        unlisted = tuple(u for u in self.unlisted if u.severity is not Severity.INFO)
        return FileSummary(
            str(self.document), self.council, self.projects, self.status, shown, self.seconds, unlisted, self.note
        )


@dataclass
class ConvertBatch:
    outcomes: list[ConvertOutcome]
    log: Path | None = None
    problems: Problems = field(default_factory=Problems)  # of the run: inputs not taken, a log not written
    interrupted: bool = False  # stopped by Ctrl-C or SIGTERM: the documents not converted say so

    @property
    def ok(self) -> bool:
        return not self.problems and all(o.ok and not _shown(o.problems) for o in self.outcomes)


def output_name(records: Records, folder: Path | None = None) -> str:
    return workbook_name(records.council.id, records.council.name, records.document.kind, folder)


def workbook_name(council_id: str, council_name: str, kind: DocumentKind, folder: Path | None = None) -> str:
    """`<code>_<name>_<document>.xlsx`, cut to fit the file system (and `folder`'s path) if need be."""
    name = unicodedata.normalize("NFC", f"{council_id}_{council_name}_{kind.ja}.xlsx")
    return safe_filename(name, folder=folder, ending=f"_{kind.ja}.xlsx")


def map_document(document: Path, mapping: Path, *, seconds: float | None = DEFAULT_TIME_LIMIT) -> MappingResult:
    """Read `document` and apply `mapping` to it, its patterns within `seconds` of processor
    time (None: no limit); raises `EtlError` if either is unusable or the time runs out."""
    loaded = load_mapping(mapping)
    source = read_document(document, ReadOptions(**loaded.data.get("read", {})))  # bounded by the readers' caps
    with time_limit(seconds):
        try:
            result = apply_mapping(loaded, source)
            classify_projects(result.records.projects, loaded.data.get("categories"))
        except PatternTimeout as err:
            raise EtlError(timeout_problem(err, loaded.data, loaded.path, source)) from None
    return result


def convert_document(
    document: Path,
    mapping: Path,
    out_dir: Path,
    *,
    strict: bool = False,
    signing_key: bytes | None = None,
    seconds: float | None = DEFAULT_TIME_LIMIT,
    previous: PreviousSource | None = None,
) -> ConvertOutcome:
    """Convert one document with one mapping into a workbook in `out_dir` (signed with
    `signing_key`); mapping it may take `seconds` of processor time (None: no limit). Of
    each kind of problem, the first few are kept and the others counted (`repeated.py`).
    With `previous`, last year's filled workbook of the council is shown on the cards
    (etl.workbook.previous)."""
    outcome = _converted(document, mapping, out_dir, strict, signing_key, seconds, previous)
    outcome.problems, more = keep_first(outcome.problems)
    outcome.unlisted.extend(more)
    return outcome


def _converted(  # noqa: PLR0917 - convert_document's arguments, passed on
    document: Path,
    mapping: Path,
    out_dir: Path,
    strict: bool,
    signing_key: bytes | None,
    seconds: float | None,
    previous: PreviousSource | None,
) -> ConvertOutcome:
    outcome = ConvertOutcome(document, mapping)
    try:
        result = map_document(document, mapping, seconds=seconds)
    except EtlError as err:
        outcome.problems.append(err.problem)
        return outcome
    records = result.records
    outcome.problems.extend(result.document.problems)
    outcome.council = records.council.name
    outcome.projects = len(records.projects)
    coverage = result.coverage.summary(result.document)
    outcome.unaccounted = coverage["characters_unaccounted"]
    outcome.mapped_percent = mapped_percent(coverage)
    outcome.problems.extend(strict_problems(result.problems) if strict else result.problems)
    outcome.unlisted.extend(strict_problems(result.unlisted) if strict else result.unlisted)
    outcome.problems.extend(validate_records(records))
    if outcome.problems.has_errors:
        return outcome
    last_year = None
    if previous is not None:
        last_year, found = read_previous(previous, records)
        outcome.problems.extend(found)
        if Problems(found).has_errors:
            return outcome
    target = _existing_twin(out_dir / output_name(records, out_dir))
    try:
        regenerated = read_filled_workbook(target) if target.exists() else None
        carry = carry_over(regenerated, records) if regenerated else None
        rendered = render_workbook(records, target, carry=carry, previous=last_year, signing_key=signing_key)
    except EtlError as err:  # an unreadable previous workbook is never replaced
        outcome.problems.append(err.problem)
        return outcome
    outcome.problems.extend(rendered.problems)
    outcome.output = rendered.path
    return outcome


def _shown(problems: Problems) -> tuple[Problem, ...]:
    """The problems the closing table counts: infos are listed, not counted."""
    return tuple(p for p in problems if p.severity is not Severity.INFO)


def _existing_twin(target: Path) -> Path:
    """`target`, or the workbook already beside it under its name in NFD (written from an NFD
    mapping, or by macOS): that one is regenerated in place, keeping what staff entered."""
    twin = target.with_name(unicodedata.normalize("NFD", target.name))
    return twin if not target.exists() and twin.exists() else target


def bundled_samples(root: Path | None = None) -> list[tuple[Path, Path]]:
    """(document, mapping) pairs: each folder of `mappings/` holds a mapping and its sample."""
    pairs = []
    for mapping in sorted((root or mappings_dir()).glob(f"*/{MAPPING_FILE}")):
        samples = sorted(p for p in mapping.parent.glob("sample.*") if p.is_file())
        pairs.extend((sample, mapping) for sample in samples)
    return pairs


def convert_many(pairs: list[tuple[Path, Path]], out_dir: Path, *, strict: bool = False) -> list[ConvertOutcome]:
    return [convert_document(doc, mapping, out_dir, strict=strict) for doc, mapping in pairs]


Pair = tuple[Path, Path | None]  # a document and its mapping (None: no mapping found; the pair fails)


def find_documents(
    inputs: Sequence[str | Path], mapping: Path | None = None, skipped: Problems | None = None
) -> list[Pair]:
    """(document, mapping) pairs for `inputs`, in a stable order.

    With `mapping`, every document found uses it: an input that is neither a folder nor a
    glob is taken as a document as it is (a missing one fails with its own problem).
    Without, each `mapping.yaml` found under a folder (or a glob's folders) converts the
    documents beside it. An input that gives nothing is a pair with its problem. Files
    not taken (links leading outside their folder, names that are not UTF-8) are added
    to `skipped` as warnings, if given (see `etl.inputs`).
    """
    pairs: list[Pair] = []
    skipped = Problems() if skipped is None else skipped
    for item in inputs:
        text = str(item)
        path = Path(text)
        if not path.exists() and _GLOB_CHARS & set(text):
            matches = glob_paths(text, skipped)
            found = [pair for match in matches for pair in _pairs_in(match, mapping, skipped)]
        else:
            found = _pairs_in(path, mapping, skipped)
        pairs.extend(found or [(path, None)])
    return pairs


def convert_batch(
    pairs: Sequence[Pair],
    out_dir: Path,
    *,
    strict: bool = False,
    jobs: int | None = 1,
    progress: Progress | None = None,
    log: bool = True,
    skipped: Sequence[Problem] = (),
    signing_key: bytes | None = None,
    seconds: float | None = DEFAULT_TIME_LIMIT,
    previous: Path | None = None,
) -> ConvertBatch:
    """Convert every pair over `jobs` processes (None: all cores), each outcome timed and each
    document mapped within `seconds`; with `log`, one line per document is appended to
    `out_dir/shakyo-pdca.log`. `skipped` are the inputs `find_documents` did not take,
    listed with the outcomes. `previous` is last year's filled workbook, or a folder of
    them matched by council."""
    remove_leftovers(out_dir)
    source = PreviousSource.at(previous) if previous is not None else None
    work = [(document, mapping, out_dir, strict, signing_key, seconds, source) for document, mapping in pairs]
    interrupted = False
    try:
        done: list[Done[ConvertOutcome] | None] = list(
            run_each(_convert_one, work, jobs=jobs, progress=progress, name=lambda w: w[0].name)
        )
    except Interrupted as stopped:
        done, interrupted = stopped.done, True
        remove_leftovers(out_dir)
    outcomes = [_outcome(document, mapping, result) for (document, mapping, *_), result in zip(work, done, strict=True)]
    _report_shared_outputs(outcomes)
    batch = ConvertBatch(outcomes, problems=Problems(skipped), interrupted=interrupted)
    if log:
        converted = sum(o.ok for o in outcomes)
        closing = f"convert: {len(outcomes)} documents, {converted} converted, {len(outcomes) - converted} failed"
        closing += "; interrupted" if interrupted else ""
        rows = [FileSummary(p.location.file, "", 0, "skipped", (p,)) for p in skipped]
        try:
            batch.log = append_log(out_dir, "convert", rows + [o.summary() for o in outcomes], closing)
        except EtlError as err:
            batch.problems.append(err.problem)
    return batch


def convert_plan(pairs: Sequence[Pair], out_dir: Path, previous: Path | None = None) -> Plan:
    """What `convert_batch` would read and write, found without converting anything."""
    plan = Plan()
    if previous is not None:
        plan.reads.append(f"{previous} (last year's filled workbooks, for the cards)")
    for document, mapping in pairs:
        plan.reads.append(f"{document} (mapping {mapping})" if mapping else str(document))
        if mapping is None:
            plan.problems.append(_nothing_found(document))
            continue
        try:
            data = load_mapping(mapping).data
            kind = DocumentKind(data["document"]["kind"])
            name = workbook_name(data["council"]["id"], data["council"]["name"], kind, out_dir)
        except EtlError as err:
            plan.problems.append(err.problem)
            continue
        plan.writes.append(str(out_dir / name))
    plan.writes.append(str(out_dir / LOG_NAME))
    return plan


def _convert_one(
    work: tuple[Path, Path | None, Path, bool, bytes | None, float | None, PreviousSource | None],
) -> ConvertOutcome:
    document, mapping, out_dir, strict, signing_key, seconds, previous = work
    if mapping is None:
        return ConvertOutcome(document, None, problems=Problems([_nothing_found(document)]))
    return convert_document(
        document, mapping, out_dir, strict=strict, signing_key=signing_key, seconds=seconds, previous=previous
    )


def _pairs_in(path: Path, mapping: Path | None, skipped: Problems) -> list[Pair]:
    if mapping is not None:
        if not path.is_dir():
            return [(path, mapping)]
        found = expand_inputs([path], DOCUMENT_SUFFIXES)
        skipped.extend(found.problems)
        return [(document, mapping) for document in found.files]
    if not path.is_dir():
        return []
    pairs: list[Pair] = []
    for found in sorted(path.rglob(MAPPING_FILE)):
        if within(found, path, skipped) and readable_name(found, skipped):
            pairs.extend([(document, found) for document in _beside(found, skipped)] or [(found.parent, None)])
    return pairs


def _beside(mapping: Path, skipped: Problems) -> list[Path]:
    """The documents in a council folder: the files beside its mapping that a reader may take."""
    return sorted(
        p
        for p in mapping.parent.iterdir()
        if p.suffix.lower() in DOCUMENT_SUFFIXES
        and not p.name.startswith(LOCK_PREFIX)
        and within(p, mapping.parent, skipped)
        and readable_name(p, skipped)
        and p.is_file()
    )


def _outcome(document: Path, mapping: Path | None, result: Done[ConvertOutcome] | None) -> ConvertOutcome:
    if result is None:
        stopped = interrupted_problem(str(document), ja="この文書は変換していません", en="not converted")
        return ConvertOutcome(document, mapping, problems=Problems([stopped]))
    outcome = _crashed(document, mapping, result.value) if isinstance(result.value, Crash) else result.value
    outcome.seconds = result.seconds
    return outcome


def _crashed(document: Path, mapping: Path | None, crash: Crash) -> ConvertOutcome:
    return ConvertOutcome(document, mapping, problems=Problems([crash_problem(str(document), crash)]))


def _report_shared_outputs(outcomes: list[ConvertOutcome]) -> None:
    """Two documents that give the same workbook name: the one written last replaced the other."""
    by_output: dict[Path, list[ConvertOutcome]] = {}
    for outcome in outcomes:
        if outcome.output is not None:
            by_output.setdefault(outcome.output, []).append(outcome)
    for output, group in by_output.items():
        if len(group) < 2:
            continue
        others = ", ".join(str(o.document) for o in group)
        for outcome in group:
            outcome.problems.append(
                problem(
                    "convert.same_output",
                    Location(file=str(outcome.document)),
                    ja=f"複数の文書が同じワークブック {output.name} になります。残るのはどれか一つです（{others}）",
                    en=f"documents {others} all give the workbook {output.name}; only one of them is kept",
                    hint="社協・文書の種類ごとに別の出力フォルダで変換してください",
                )
            )


def _nothing_found(path: Path) -> Problem:
    if not path.exists():
        return problem(
            "input.not_found",
            Location(file=str(path)),
            ja="ファイルまたはフォルダが見つかりません",
            en="file or folder not found (or the pattern matches nothing)",
        )
    if path.is_dir():
        return problem(
            "convert.nothing_found",
            Location(file=str(path)),
            ja=f"変換する文書がありません（{MAPPING_FILE} と同じフォルダに文書を置いてください）",
            en=f"no document to convert here: none beside a {MAPPING_FILE} (or, with --mapping, none at all)",
            hint=f"文書の種類: {' '.join(DOCUMENT_SUFFIXES)}",
        )
    return problem(
        "convert.no_mapping",
        Location(file=str(path)),
        ja=f"{MAPPING_FILE} が見つからないため変換できません",
        en=f"no mapping for this document: give --mapping, or put it beside its {MAPPING_FILE}",
        hint="社協ごとのフォルダに mapping.yaml と文書を置くか、-m でマッピングファイルを指定してください",
    )
