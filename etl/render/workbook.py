"""Write the standard PDCA workbook for one council's document.

Sheets, in order: 表紙, 方針, 事業一覧, 達成目標, one PDCA card per project, then the
hidden 選択肢 (dropdown lists) and the very hidden `_meta` and `_index` that let a
filled workbook be read back (see etl.workbook.contract). The layout comes from
`templates_xlsx/<TEMPLATE_VERSION>.yaml`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..fileio import atomic_path
from ..model import Records
from ..problems import Location, Problem, Problems, problem
from ..signing import sign
from ..workbook.book import MAX_CELL_CHARS, Book, CellValue, RenderError, Sheet
from ..workbook.contract import (
    INDEX_SHEET,
    META_SHEET,
    RECORDS_SHEET,
    Landmarks,
    Meta,
    as_text,
    chunked,
    fingerprint,
    index_json,
    input_name,
)
from ..workbook.places import stored_landmarks
from ..workbook.snapshot import records_to_json
from .card_sheets import CardWriter, card_sheet_names
from .cover import write_cover
from .input_cells import Inputs, PlacedInput, write_choice_lists
from .lists import indicator_table, policy_table, previous_table, project_table, write_list
from .page import protect
from .template import Template, load_template

if TYPE_CHECKING:
    from ..workbook.carryover import Carry
    from ..workbook.previous import Previous


@dataclass
class RenderOutcome:
    path: Path | None  # None when nothing was written
    problems: Problems = field(default_factory=Problems)
    pages: dict[str, int] = field(default_factory=dict)  # printed pages per visible sheet


def render_workbook(
    records: Records,
    target: Path,
    *,
    carry: Carry | None = None,
    previous: Previous | None = None,
    password: str = "",
    generated_at: dt.datetime | None = None,
    signing_key: bytes | None = None,
) -> RenderOutcome:
    """Write the workbook for `records` to `target` atomically.

    `carry` is what staff entered in the previous workbook at `target`
    (`etl.workbook.carryover.carry_over`): it is written into the new one. `previous` is
    last year's workbook matched to `records` (`etl.workbook.previous`): its cards show it,
    and the years both plans have are carried (what was entered at `target` wins).
    `password` protects the sheets (none by default).
    With `signing_key`, the metadata carries the records' signature (etl.signing).
    """
    problems = Problems(limit_problems(records))
    carried: dict[str, CellValue] = {}
    carries = [c for c in (previous.carry if previous else None, carry) if c is not None]
    for each in carries:
        carried |= each.values
        problems.extend(each.problems)
    if previous is not None:
        problems.extend(previous.problems)
    if problems.has_errors:
        return RenderOutcome(None, problems)
    template = load_template()
    when = generated_at or dt.datetime.now().astimezone()
    with atomic_path(target) as tmp, warnings.catch_warnings():
        warnings.filterwarnings("error", module="xlsxwriter")
        try:
            book = Book(tmp, _base_format(template), keep_texts=True)  # the index keeps the inputs' headings
            meta = _meta(template, records, when, signing_key)
            pages, inputs = _write(
                book, template, records, carried=carried, previous=previous, password=password, meta=meta
            )
        except UserWarning as warning:
            raise RenderError(f"xlsxwriter: {warning}") from warning
    unplaced = inputs.unplaced()
    for each in reversed(carries):  # an entry is reported once, by the workbook its value came from
        problems.extend(each.unplaced([key for key in unplaced if key in each.values]))
        unplaced = [key for key in unplaced if key not in each.values]
    return RenderOutcome(target, problems, pages)


def limit_problems(records: Records) -> list[Problem]:
    """What cannot be written, found before writing: no fiscal year to lay the cards out
    for, or a text longer than an Excel cell holds (32,767 characters)."""
    found = []
    if not records.document.fiscal_years:
        found.append(
            problem(
                "render.no_fiscal_years",
                Location(file=records.document.source_file),
                ja="文書の年度がないため、年度ごとの入力欄を作れません",
                en="the document has no fiscal years to lay out the PDCA cards for",
                hint="マッピングファイルの document.fiscal_years を指定してください",
            )
        )
    for item in _record_items(records):
        source = getattr(item, "source", None)
        for name, text in _texts(item):
            if len(text) > MAX_CELL_CHARS:
                found.append(
                    problem(
                        "render.cell_too_long",
                        Location(
                            file=source.file if source else records.document.source_file,
                            line=source.line if source else None,
                        ),
                        ja=f"Excelのセルに入らない長さです（{len(text):,}文字、上限{MAX_CELL_CHARS:,}文字）",
                        en=f"{name} has {len(text)} characters; an Excel cell holds {MAX_CELL_CHARS}",
                        field=name,
                        hint="マッピングで項目を分けてください",
                    )
                )
    return found


def _record_items(records: Records) -> list[object]:
    return [
        records.council,
        records.document,
        *records.policies,
        *records.projects,
        *records.indicators,
        *records.results,
        *records.pdca,
    ]


def _texts(item: object) -> Iterator[tuple[str, str]]:
    for f in dataclasses.fields(item):  # type: ignore[arg-type]
        value = getattr(item, f.name)
        if isinstance(value, str):
            yield f.name, value
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            yield f.name, " > ".join(value)
        elif isinstance(value, dict):
            yield from ((f"{f.name}[{year}]", target.text) for year, target in value.items())


def _base_format(template: Template) -> dict[str, object]:
    font = template.font
    return {"font_name": font.name, "font_size": font.size, "text_wrap": True, "valign": "top"}


def _write(
    book: Book,
    template: Template,
    records: Records,
    *,
    carried: dict[str, CellValue],
    previous: Previous | None,
    password: str,
    meta: dict[Meta, str],
) -> tuple[dict[str, int], Inputs]:
    sheets = template.sheets
    inputs = Inputs(book, template, carried)
    council = records.council.name
    listed = {"inputs": inputs, "template": template, "council_name": council, "password": password}
    pages = {}

    cover = book.add_sheet(sheets.cover)
    write_cover(book, cover, template, records, password)
    pages[cover.name] = 1
    policies = book.add_sheet(sheets.policies)
    table = policy_table(template.policies, records.policies)
    pages[policies.name] = write_list(book, policies, table, layout=template.policies, **listed)
    cards = card_sheet_names(records.projects, sheets.names() | {META_SHEET, INDEX_SHEET, RECORDS_SHEET})
    projects = book.add_sheet(sheets.projects)
    table = project_table(template.projects, records.projects, cards)
    pages[projects.name] = write_list(book, projects, table, layout=template.projects, **listed)
    indicators = book.add_sheet(sheets.indicators)
    table = indicator_table(template.indicators, records, template.card.labels.result)
    pages[indicators.name] = write_list(book, indicators, table, layout=template.indicators, **listed)
    if previous is not None and previous.matches and template.previous is not None:
        matched = book.add_sheet(sheets.previous)
        table = previous_table(template.previous, previous.matches, cards)
        pages[matched.name] = write_list(book, matched, table, layout=template.previous, **listed)
    writer = CardWriter(book, template, inputs, records, password, previous=previous)
    for project in records.projects:
        sheet = book.add_sheet(cards[project.project_id])
        writer.write(sheet, project)
        pages[sheet.name] = 1

    choices = book.add_sheet(sheets.choices)
    write_choice_lists(book, choices, template)
    _hide(choices, password, very=False)
    _write_meta(book.add_sheet(META_SHEET), meta, password)
    _write_index(book.add_sheet(INDEX_SHEET), inputs, _landmarks(book, inputs), password)
    _write_records(book.add_sheet(RECORDS_SHEET), records, password)
    cover.ws.activate()
    book.close(f"{council} {records.document.title}")
    return pages, inputs


def _meta(template: Template, records: Records, generated_at: dt.datetime, key: bytes | None) -> dict[Meta, str]:
    council, document = records.council, records.document
    rows = {
        Meta.TEMPLATE_VERSION: template.version,
        Meta.COUNCIL_ID: council.id,
        Meta.COUNCIL_NAME: council.name,
        Meta.PREFECTURE: council.prefecture,
        Meta.DOCUMENT_KIND: document.kind.value,
        Meta.DOCUMENT_TITLE: document.title,
        Meta.FISCAL_YEARS: ",".join(map(str, document.fiscal_years)),
        Meta.SOURCE_FILE: document.source_file,
        Meta.GENERATED_AT: generated_at.isoformat(timespec="seconds"),
        Meta.FINGERPRINT: fingerprint(records),
    }
    if key is not None:
        rows[Meta.SIGNATURE] = sign(records, key)
    return rows


def _write_meta(sheet: Sheet, rows: dict[Meta, str], password: str) -> None:
    for row, (key, value) in enumerate(rows.items()):
        sheet.text(row, 0, key.value)
        sheet.text(row, 1, value)
    _hide(sheet, password, very=True)


def _landmarks(book: Book, inputs: Inputs) -> list[Landmarks]:
    """What read-back checks each input's row by (`etl.workbook.places.stored_landmarks`)."""
    by_sheet: dict[str, list[PlacedInput]] = {}
    for placed in inputs.placed.values():
        by_sheet.setdefault(placed.sheet, []).append(placed)
    found: dict[str, Landmarks] = {}
    for name, placed in by_sheet.items():
        texts = book.sheets[name].texts or {}
        stored = stored_landmarks(name, texts, [(each.cell, each.spec.label) for each in placed])
        found |= zip((each.spec.key for each in placed), stored, strict=True)
    return [found[key] for key in inputs.placed]


def _write_index(sheet: Sheet, inputs: Inputs, landmarks: list[Landmarks], password: str) -> None:
    rows = [
        (
            placed.spec.key,
            input_name(placed.spec.key),
            placed.sheet,
            placed.cell,
            placed.spec.kind.value,
            placed.spec.label,
            as_text(placed.spec.prefill),
        )
        for placed in inputs.placed.values()
    ]
    _write_chunks(sheet, index_json(rows, landmarks), password)


def _write_records(sheet: Sheet, records: Records, password: str) -> None:
    """The records the workbook was made from, for collect to consolidate exactly."""
    _write_chunks(sheet, records_to_json(records), password)


def _write_chunks(sheet: Sheet, text: str, password: str) -> None:
    for row, chunk in enumerate(chunked(text)):
        sheet.text(row, 0, chunk)
    _hide(sheet, password, very=True)


def _hide(sheet: Sheet, password: str, *, very: bool) -> None:
    if very:
        sheet.ws.very_hidden()
    else:
        sheet.ws.hide()
    protect(sheet, password)
