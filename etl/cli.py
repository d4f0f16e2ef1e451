"""The `shakyo-pdca` command: thin wrappers over the library API.

Exit codes: 0 nothing wrong, 1 problems found in the inputs (or an internal error), 2 usage
error, 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .collect import collect as collect_workbooks
from .convert import bundled_samples, convert_document, convert_many, map_document
from .fill import MISTAKES, fill_workbook
from .mapping import MappingResult, mapping_schema
from .problems import EtlError
from .report import collect_json, collect_text, coverage_json, coverage_text, outcomes_json, outcomes_text

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
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
            sys.exit(130)
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


@main.command()
@click.argument("document", required=False, type=click.Path(path_type=Path))
@click.option("-m", "--mapping", type=click.Path(path_type=Path), help="Mapping file for DOCUMENT.")
@click.option("-o", "--out", "out_dir", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail when any source line is taken by no mapping rule.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def convert(document: Path | None, mapping: Path | None, out_dir: Path, strict: bool, fmt: str) -> None:
    """Convert DOCUMENT with --mapping; with no DOCUMENT, convert the bundled samples."""
    if document is not None and mapping is None:
        raise click.UsageError("DOCUMENT needs --mapping (変換には --mapping でマッピングファイルを指定してください)")
    if document is None:
        outcomes = convert_many(bundled_samples(), out_dir, strict=strict)
    else:
        outcomes = [convert_document(document, mapping, out_dir, strict=strict)]
    click.echo(outcomes_json(outcomes) if fmt == "json" else outcomes_text(outcomes))
    sys.exit(EXIT_OK if all(o.ok and not o.problems for o in outcomes) else EXIT_PROBLEMS)


@main.group()
def mapping() -> None:
    """Write and check mapping files (マッピングファイルの作成・確認)."""


@mapping.command()
@click.argument("mapping_file", type=click.Path(path_type=Path))
@click.argument("document", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(mapping_file: Path, document: Path, fmt: str) -> None:
    """Coverage of DOCUMENT by MAPPING_FILE: mapped, ignored and unaccounted lines."""
    result = _mapped(document, mapping_file)
    click.echo(coverage_json(result) if fmt == "json" else coverage_text(result))
    sys.exit(EXIT_PROBLEMS if result.unaccounted else EXIT_OK)


@mapping.command()
@click.argument("mapping_file", type=click.Path(path_type=Path))
@click.argument("document", type=click.Path(path_type=Path))
def explain(mapping_file: Path, document: Path) -> None:
    """Which rule of MAPPING_FILE took each line of DOCUMENT."""
    result = _mapped(document, mapping_file)
    click.echo(coverage_text(result, explain=True))
    sys.exit(EXIT_PROBLEMS if result.unaccounted else EXIT_OK)


@mapping.command()
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
def schema(out_file: Path | None) -> None:
    """The JSON Schema of mapping files, for editors' completion and checking."""
    text = json.dumps(mapping_schema(), ensure_ascii=False, indent=2) + "\n"
    if out_file is None:
        click.echo(text, nl=False)
    else:
        out_file.write_text(text, encoding="utf-8")


def _mapped(document: Path, mapping_file: Path) -> MappingResult:
    try:
        return map_document(document, mapping_file)
    except EtlError as err:
        click.echo(str(err.problem), err=True)
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("output/集約.xlsx"), show_default=True)
@click.option("--feedback", "feedback_dir", type=click.Path(path_type=Path), help="Write marked copies to send back.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def collect(inputs: tuple[str, ...], output: Path, feedback_dir: Path | None, fmt: str) -> None:
    """Consolidate filled workbooks (files, folders, globs) into one, with every problem listed."""
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError("--output must name an .xlsx file (出力は .xlsx で指定してください)")
    outcome = collect_workbooks(inputs, output, feedback_dir=feedback_dir)
    click.echo(collect_json(outcome) if fmt == "json" else collect_text(outcome))
    sys.exit(EXIT_PROBLEMS if outcome.errors or outcome.warnings else EXIT_OK)


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
