"""The `shakyo-pdca` command: thin wrappers over the library API.

Exit codes: 0 nothing wrong, 1 problems found in the inputs (or an internal error), 2 usage
error, 130 interrupted.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .. import __version__, collect_workbooks
from ..batch import Plan, Progress, terminate_as_interrupt
from ..collect import collect_plan
from ..collect.gather import WORKBOOK_SUFFIXES
from ..convert import bundled_samples, convert_batch, convert_plan, find_documents, map_document
from ..demo import MISTAKES, fill_workbook
from ..history import DEFAULT_NAME, HistoryError
from ..inputs import expand_inputs
from ..mapping import MappingResult, load_mapping, mapping_schema
from ..mapping.draft import DraftOptions, draft_exists, draft_mapping, write_draft
from ..mapping.lint import pattern_warnings
from ..mapping.notes import mapping_notes
from ..mapping.patterns import DEFAULT_TIME_LIMIT
from ..problems import EtlError, Problem, Problems, Severity
from ..signing import KEY_ENV, Trust, load_key
from ..validate import validate_records
from .report import (
    collect_json,
    collect_text,
    convert_text,
    coverage_json,
    coverage_text,
    outcomes_json,
    plan_json,
    plan_text,
)

if TYPE_CHECKING:
    from ..history import HistoryDB

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_OUT = Path("output")


class _Cli(click.Group):
    """Any failure of the tool itself ends with one clear line, not a traceback (unless --debug)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("中断しました (interrupted)", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as err:
            if ctx.params.get("debug"):
                raise
            click.echo(
                f"内部エラーが発生しました (internal error: {type(err).__name__}: {err}); "
                "--debug で詳細を表示できます (run with --debug for the traceback)",
                err=True,
            )
            sys.exit(EXIT_PROBLEMS)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="shakyo-pdca")
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
def main(debug: bool) -> None:
    """社協の事業計画・報告を標準PDCAワークブックに変換します (council documents -> PDCA workbooks)."""
    _replace_what_the_console_cannot_show()


def _replace_what_the_console_cannot_show() -> None:
    """A console, or output redirected on Windows (CP932), that cannot show a character
    (`⇥`, `⺠`, an emoji) gets `?` instead of an encoding error; files are written as UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def _show(text: str, fmt: str) -> None:
    """An outcome: text for people in what the console can show, JSON for programs in UTF-8 (RFC 8259)."""
    click.echo(text.encode("utf-8") if fmt == "json" else text)


def batch_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options convert and collect share: cores, progress, dry run, output format."""
    options = (
        click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes to use [default: all cores]."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar (there is none unless on a terminal)."),
        click.option("--dry-run", is_flag=True, help="List what would be read and written; write nothing."),
        click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True),
        click.option(
            "--key-file",
            type=click.Path(path_type=Path, exists=True, dir_okay=False),
            help=f"The office's signing key (else ${KEY_ENV}); convert signs, collect checks.",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("-m", "--mapping", type=click.Path(path_type=Path), help="Mapping file for every document found.")
@click.option("-o", "--out", "out_dir", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on text no mapping rule takes and on 0 projects.")
@click.option(
    "--time-limit",
    "seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIME_LIMIT,
    show_default=True,
    help="Processor seconds the mapping of each document may take; past them it fails, the others go on.",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path, exists=True),
    help="Last year's filled workbook, or a folder of them (matched by council): shown on each card.",
)
@batch_options
def convert(
    *,
    inputs: tuple[str, ...],
    mapping: Path | None,
    out_dir: Path,
    strict: bool,
    seconds: float,
    previous: Path | None,
    jobs: int | None,
    quiet: bool,
    dry_run: bool,
    fmt: str,
    key_file: Path | None,
) -> None:
    """Convert documents: INPUTS are documents (with --mapping), folders holding council folders
    (each a mapping.yaml beside its documents) or globs; none: the bundled samples."""
    key = _signing_key(key_file)
    if mapping is None and any(Path(item).is_file() for item in inputs):
        raise click.UsageError("DOCUMENT needs --mapping (変換には --mapping でマッピングファイルを指定してください)")
    skipped = Problems()
    pairs = find_documents(inputs, mapping, skipped) if inputs else bundled_samples()
    if dry_run:
        plan = convert_plan(pairs, out_dir, previous)
        plan.problems[:0] = skipped
        _show_plan(plan, fmt)
    with terminate_as_interrupt(), _progress(len(pairs), quiet, "変換中 (converting)") as progress:
        batch = convert_batch(
            pairs,
            out_dir,
            strict=strict,
            jobs=jobs,
            progress=progress,
            skipped=skipped,
            signing_key=key,
            seconds=seconds,
            previous=previous,
        )
    _show(outcomes_json(batch.outcomes) if fmt == "json" else convert_text(batch), fmt)
    sys.exit(EXIT_INTERRUPTED if batch.interrupted else EXIT_OK if batch.ok else EXIT_PROBLEMS)


@contextmanager
def _progress(total: int, quiet: bool, label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr, only when it is a terminal and not --quiet."""
    if quiet or total < 2 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True) as bar:
        yield lambda _name: bar.update(1)


def _signing_key(key_file: Path | None) -> bytes | None:
    try:
        return load_key(key_file)
    except EtlError as err:
        raise click.UsageError(err.problem.bilingual()) from None


def _show_plan(plan: Plan, fmt: str) -> NoReturn:
    _show(plan_json(plan) if fmt == "json" else plan_text(plan), fmt)
    sys.exit(EXIT_PROBLEMS if plan.problems else EXIT_OK)


@main.group()
def mapping() -> None:
    """Write and check mapping files (マッピングファイルの作成・確認)."""


@mapping.command()
@click.argument("mapping_file", type=click.Path(path_type=Path))
@click.argument("document", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(mapping_file: Path, document: Path, fmt: str) -> None:
    """Coverage of DOCUMENT by MAPPING_FILE, by line and by character, every problem convert would
    report, the patterns known to be slow and the id groups that can match empty text."""
    result, problems = _mapped(document, mapping_file)
    warnings = pattern_warnings(load_mapping(mapping_file))
    if fmt == "json":
        _show(coverage_json(result, problems, warnings), fmt)
    else:
        _show(coverage_text(result, problems, warnings=warnings), fmt)
    sys.exit(_check_exit([*warnings, *problems]))


@mapping.command()
@click.argument("mapping_file", type=click.Path(path_type=Path))
@click.argument("document", type=click.Path(path_type=Path))
def explain(mapping_file: Path, document: Path) -> None:
    """Which rule of MAPPING_FILE took each span of each line of DOCUMENT."""
    result, problems = _mapped(document, mapping_file)
    click.echo(coverage_text(result, problems, explain=True))
    click.echo("\n".join(mapping_notes(load_mapping(mapping_file), result.records)))
    sys.exit(_check_exit(problems))


@mapping.command()
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
def schema(out_file: Path | None) -> None:
    """The JSON Schema of mapping files, for editors' completion and checking."""
    text = json.dumps(mapping_schema(), ensure_ascii=False, indent=2) + "\n"
    if out_file is None:
        click.echo(text, nl=False)
    else:
        out_file.write_text(text, encoding="utf-8")


@mapping.command()
@click.argument("document", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), help="Write the draft here (else stdout).")
@click.option("--example", "examples", multiple=True, help="The name of one project as printed (repeatable).")
@click.option("--kind", type=click.Choice(["plan", "report", "pdca_plan"]), help="The document's kind, if known.")
@click.option("--council", help="The council's name, e.g. 須坂市社会福祉協議会.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def draft(
    *,
    document: Path,
    out_file: Path | None,
    examples: tuple[str, ...],
    kind: str | None,
    council: str | None,
    force: bool,
) -> None:
    """Draft a commented mapping for an unseen council's DOCUMENT (マッピングの下書き)."""
    if out_file is not None and out_file.exists() and not force:
        _fail(draft_exists(out_file))
    try:
        drafted = draft_mapping(document, DraftOptions(examples, kind, council))
        if out_file is not None:
            write_draft(drafted, out_file)
    except EtlError as err:
        _fail(err.problem)
    if out_file is None:
        click.echo(drafted.text, nl=False)
    click.echo(drafted.summary.text(), err=True)
    for line in drafted.summary.todo_lines():
        click.echo(f"  {line}", err=True)
    for warning in drafted.summary.warnings:
        click.echo(warning.bilingual(), err=True)
    sys.exit(EXIT_PROBLEMS if drafted.summary.projects == 0 else EXIT_OK)


def _fail(found: Problem) -> NoReturn:
    click.echo(found.bilingual(), err=True)
    sys.exit(EXIT_PROBLEMS)


def _mapped(document: Path, mapping_file: Path) -> tuple[MappingResult, list[Problem]]:
    """The mapping applied, and every problem convert would report about it and its records;
    a mapping that cannot be used exits 2, a document that cannot be read 1."""
    try:
        result = map_document(document, mapping_file)
    except EtlError as err:
        click.echo(str(err.problem), err=True)
        sys.exit(EXIT_USAGE if err.problem.code.startswith("mapping.") else EXIT_PROBLEMS)
    return result, [*result.document.problems, *result.problems, *validate_records(result.records)]


def _check_exit(problems: list[Problem]) -> int:
    return EXIT_PROBLEMS if any(p.severity is not Severity.INFO for p in problems) else EXIT_OK


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("output/集約.xlsx"), show_default=True)
@click.option("--feedback", "feedback_dir", type=click.Path(path_type=Path), help="Write marked copies to send back.")
@click.option(
    "--history",
    "history_at",
    metavar="DB",
    help=f"History database: an SQLite file or a postgresql:// URL [default: {DEFAULT_NAME} beside --output].",
)
@click.option("--no-history", is_flag=True, help="Record nothing in a history database.")
@click.option("--allow-unsigned", is_flag=True, help="With a signing key: consolidate unsigned workbooks too.")
@click.option(
    "--prefer",
    multiple=True,
    type=click.Path(path_type=Path),
    help="The workbook to use when a council sent several (repeat for several councils).",
)
@batch_options
def collect(
    *,
    inputs: tuple[str, ...],
    output: Path,
    feedback_dir: Path | None,
    history_at: str | None,
    no_history: bool,
    allow_unsigned: bool,
    prefer: tuple[Path, ...],
    jobs: int | None,
    quiet: bool,
    dry_run: bool,
    fmt: str,
    key_file: Path | None,
) -> None:
    """Consolidate filled workbooks (files, folders, globs) into one, with every problem listed."""
    trust = Trust(_signing_key(key_file), allow_unsigned)
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("--output must name an .xlsx file (出力は .xlsx で指定してください)")
    if no_history and history_at:
        raise click.UsageError("--history and --no-history exclude each other (どちらか一方を指定してください)")
    history = None if no_history else _history_db(history_at or output.parent / DEFAULT_NAME)
    if dry_run:
        _show_plan(collect_plan(inputs, output, feedback_dir=feedback_dir, history=history), fmt)
    files = len(expand_inputs(inputs, WORKBOOK_SUFFIXES).files)
    with terminate_as_interrupt(), _progress(files, quiet, "読み込み中 (reading)") as progress:
        outcome = collect_workbooks(
            inputs,
            output,
            feedback_dir=feedback_dir,
            jobs=jobs,
            progress=progress,
            trust=trust,
            prefer=prefer,
            history=history,
        )
    _show(collect_json(outcome) if fmt == "json" else collect_text(outcome), fmt)
    if outcome.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_PROBLEMS if outcome.errors or outcome.warnings else EXIT_OK)


@main.command()
@click.option(
    "--history",
    "history_at",
    metavar="DB",
    default=str(DEFAULT_OUT / DEFAULT_NAME),
    show_default=True,
    help="History database: an SQLite file or a postgresql:// URL.",
)
@click.option("--council", metavar="CODE", help="Only this council (社協コード).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
def history(history_at: str, council: str | None, fmt: str) -> None:
    """Each council's figures per fiscal year, as collect recorded them (経年比較)."""
    from ..history.listing import history_csv, history_json, history_text  # noqa: PLC0415 - SQLAlchemy, when used

    db = _history_db(history_at)
    if not db.is_postgresql and not Path(history_at).is_file():
        click.echo(f"{history_at}: 履歴データベースがありません (no history database here)", err=True)
        sys.exit(EXIT_PROBLEMS)
    try:
        rows = db.rows(council=council)
    except HistoryError as err:
        click.echo(err.problem.bilingual(), err=True)
        sys.exit(EXIT_PROBLEMS)
    shown = {"json": history_json, "csv": history_csv}.get(fmt, history_text)(rows)
    click.echo(shown, nl=not shown.endswith("\n"))


def _history_db(location: str | Path) -> HistoryDB:
    from ..history import HistoryDB  # noqa: PLC0415 - SQLAlchemy loads only for the commands that use a database

    return HistoryDB(location)


@main.group()
def demo() -> None:
    """Demonstrations with the bundled samples (サンプルでの体験)."""


@demo.command("fill")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Folder for the copies.")
@click.option("--mistake", "mistakes", multiple=True, type=click.Choice(sorted(MISTAKES)), help="Inject a mistake.")
@click.option("--seed", default=0, show_default=True, help="Seed of the made-up entries.")
def fill(workbooks: tuple[Path, ...], out_dir: Path, mistakes: tuple[str, ...], seed: int) -> None:
    """Fill WORKBOOKS as staff would (made-up valid entries, plus chosen mistakes)."""
    for workbook in workbooks:
        injected = fill_workbook(workbook, out_dir / workbook.name, mistakes=mistakes, seed=seed)
        skipped = "".join(
            f"; {name}: no cell for it here" for name in sorted(set(mistakes) - {i.mistake for i in injected})
        )
        placed = "".join(f"; {i.mistake} at {i.sheet}!{i.cell}" for i in injected)
        click.echo(f"{out_dir / workbook.name}: filled{placed}{skipped}")
