"""A synthetic national corpus: the five bundled councils varied into N councils.

Each synthetic council gets a new 全国地方公共団体コード (with a valid check digit), a
made-up name and the prefecture its code says, and one of the five bundled layouts in
turn. For convert it gets a folder with its mapping (the bundled one with the council
replaced) and its document (the bundled sample with some free-text lines perturbed).
For collect it gets a filled workbook: the bundled plan with the council replaced and
its projects shuffled and thinned, rendered with made-up entries for the first fiscal
year (as staff fill the current year), and, in one council out of ten, a few mistakes.
Workbooks are written directly with the entries (`render_workbook(..., carry=...)`)
rather than filled with openpyxl, which would take hours at national scale.

    python bench/corpus.py --councils 100 --out bench/.corpus
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import re
import shutil
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure the tree this file is in, installed or not

from etl.batch import run_each  # noqa: E402
from etl.convert import bundled_samples, map_document  # noqa: E402
from etl.demo import CHECK_TEXTS, DO_TEXTS  # noqa: E402
from etl.model import ACHIEVEMENTS, DIRECTIONS, PREFECTURES, Records, council_code_is_valid  # noqa: E402
from etl.render import render_workbook  # noqa: E402
from etl.workbook.carryover import carry_over  # noqa: E402
from etl.workbook.contract import Meta, indicator_result_key, pdca_key  # noqa: E402
from etl.workbook.indicators import result_kind  # noqa: E402
from etl.workbook.readback import FilledWorkbook, InputCell  # noqa: E402

VERSION = "5"  # bump when the corpus changes, so that cached corpora are made again
GENERATED_AT = dt.datetime(2025, 4, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
NAME_PARTS = (
    "青葉", "赤坂", "旭", "朝日", "東", "泉", "稲田", "岩瀬", "上野", "大川", "大森", "岡崎",
    "小川", "桂", "金山", "川口", "北山", "清水", "白石", "新田", "杉並", "高田", "竹原", "田原",
    "千代", "鶴見", "戸田", "中川", "長浜", "西原", "野田", "浜松", "春日", "東山", "日野", "平田",
    "福井", "藤沢", "本庄", "松原", "三島", "緑", "南", "宮原", "森山", "八木", "山田", "由良",
    "吉田", "若葉",
)  # fmt: skip
KINDS = ("市", "町", "村")
FREE_TEXT = re.compile(r"\.(purpose|method|goal|situation)$")
ADDED = ("（重点）", "（地区ごとに実施）", "（関係機関と連携）", "（継続実施）", "（見直しを検討）")


@dataclass(frozen=True)
class Council:
    id: str
    name: str
    prefecture: str
    base: str  # the bundled folder it varies: komoro, kodaira, ...


def councils(count: int, seed: int = 0) -> list[Council]:
    """`count` councils with distinct valid codes, none of them a bundled council's."""
    rng = random.Random(seed)
    bases = [document.parent.name for document, _ in bundled_samples()]
    taken = {_bundled_id(base) for base in bases}
    found = []
    while len(found) < count:
        prefecture = rng.randint(1, len(PREFECTURES))
        code = _with_check_digit(f"{prefecture:02d}{rng.randint(200, 999):03d}")
        if code in taken:
            continue
        taken.add(code)
        name = f"{rng.choice(NAME_PARTS)}{rng.choice(NAME_PARTS)}{rng.choice(KINDS)}社会福祉協議会"
        found.append(Council(code, name, PREFECTURES[prefecture - 1], bases[len(found) % len(bases)]))
    return found


def write_documents(folder: Path, chosen: list[Council]) -> list[Path]:
    """A council folder per council (mapping.yaml beside its document); the folders."""
    written = []
    for council in chosen:
        target = folder / council.id
        target.mkdir(parents=True, exist_ok=True)
        mapping, document = _bundled(council.base)
        (target / "mapping.yaml").write_text(_with_council(mapping.read_text(encoding="utf-8"), council), "utf-8")
        (target / document.name).write_text(_perturbed(council), encoding="utf-8")
        written.append(target)
    return written


def write_workbooks(folder: Path, chosen: list[Council], jobs: int | None = None) -> list[Path]:
    """A filled workbook per council, written over `jobs` processes; the files."""
    folder.mkdir(parents=True, exist_ok=True)
    done = run_each(_filled_workbook, [(council, folder) for council in chosen], jobs=jobs)
    failed = [d.value for d in done if not isinstance(d.value, Path)]
    if failed:
        raise RuntimeError(f"{len(failed)} workbooks could not be made: {failed[0]}")
    return [d.value for d in done]  # type: ignore[misc]


def _filled_workbook(work: tuple[Council, Path]) -> Path:
    council, folder = work
    records = _varied_records(council)
    target = folder / f"{council.id}_{council.name}.xlsx"
    carry = carry_over(_entries(records, council), records)
    outcome = render_workbook(records, target, carry=carry, generated_at=GENERATED_AT)
    if outcome.path is None:
        raise RuntimeError(f"{council.id}: {outcome.problems[:1]}")
    return target


def _varied_records(council: Council) -> Records:
    """The base plan as this council's: shuffled, a few projects dropped, some text varied."""
    rng = random.Random(council.id)
    records = _base_records(council.base)
    projects = list(records.projects)
    rng.shuffle(projects)
    kept = projects[: max(1, len(projects) - rng.randint(0, len(projects) // 8))]
    kept = [dataclasses.replace(p, purpose=p.purpose + rng.choice(ADDED)) if rng.random() < 0.3 else p for p in kept]
    ids = {p.project_id for p in kept}
    return dataclasses.replace(
        records,
        council=dataclasses.replace(records.council, id=council.id, name=council.name, prefecture=council.prefecture),
        projects=kept,
        indicators=[i for i in records.indicators if i.project_id in ids],
        results=[r for r in records.results if r.project_id in ids],
        pdca=[e for e in records.pdca if e.project_id in ids],
    )


def _entries(records: Records, council: Council) -> FilledWorkbook:
    """What staff typed, as a previous workbook to carry into the new one: the first year."""
    rng = random.Random(f"entries-{council.id}")
    year = records.document.fiscal_years[0]
    values: dict[str, object] = {}
    for project in records.projects:
        values[pdca_key(project.project_id, year, "do")] = rng.choice(DO_TEXTS)
        values[pdca_key(project.project_id, year, "achievement")] = rng.choice(CHECK_TEXTS)
        values[pdca_key(project.project_id, year, "direction")] = rng.choice(DIRECTIONS)
    for indicator in records.indicators:
        numeric = result_kind(indicator).value == "number"
        value = rng.randint(0, 40) if numeric else rng.choice(ACHIEVEMENTS)
        values[indicator_result_key(indicator.project_id, indicator.number, year)] = value
    if rng.random() < 0.1:  # a council that makes mistakes: a word in a number, a pasted direction
        keys = sorted(values)
        values[rng.choice(keys)] = "未定"
        values[pdca_key(records.projects[0].project_id, year, "direction")] = "継続（一部見直し）"
    cells = [InputCell(key, "", "", value) for key, value in values.items()]
    return FilledWorkbook(Path("entries"), {Meta.COUNCIL_ID: council.id}, cells)


@cache
def _base_records(base: str) -> Records:
    mapping, document = _bundled(base)
    return map_document(document, mapping).records


@cache
def _bundled(base: str) -> tuple[Path, Path]:
    for document, mapping in bundled_samples():
        if document.parent.name == base:
            return mapping, document
    raise KeyError(base)


def _bundled_id(base: str) -> str:
    return _base_records(base).council.id


def _with_check_digit(five: str) -> str:
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    code = f"{five}{(11 - total % 11) % 10}"
    assert council_code_is_valid(code)
    return code


_COUNCIL_BLOCK = re.compile(
    r"(council:\s*\n\s+id: )\"[^\"]*\"([^\n]*\n\s+name: )[^\s#]+([^\n]*\n\s+prefecture: )[^\s#]+"
)


def _with_council(mapping: str, council: Council) -> str:
    replaced, count = _COUNCIL_BLOCK.subn(
        lambda m: f'{m.group(1)}"{council.id}"{m.group(2)}{council.name}{m.group(3)}{council.prefecture}', mapping
    )
    assert count == 1, "the bundled mapping's council block is id, name, prefecture"
    return replaced


def _perturbed(council: Council) -> str:
    """The base document with a phrase added to about a third of its free-text lines."""
    _, document = _bundled(council.base)
    lines = document.read_text(encoding="utf-8").splitlines()
    rng = random.Random(f"text-{council.id}")
    for number in _free_text_lines(council.base):
        if rng.random() < 0.3:
            lines[number - 1] += rng.choice(ADDED)
    return "\n".join(lines) + "\n"


@cache
def _free_text_lines(base: str) -> tuple[int, ...]:
    mapping, document = _bundled(base)
    uses = map_document(document, mapping).coverage.uses
    return tuple(sorted(n for n, use in uses.items() if FREE_TEXT.search(use.target)))


def make(folder: Path, count: int, seed: int = 0, jobs: int | None = None) -> tuple[list[Path], list[Path]]:
    """The corpus for `count` councils in `folder` (made once, then reused): council folders
    for convert, and filled workbooks for collect."""
    marker = folder / f"corpus-v{VERSION}-n{count}-s{seed}.done"
    chosen = councils(count, seed)
    documents, workbooks = folder / "documents", folder / "workbooks"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_documents(documents, chosen)
        write_workbooks(workbooks, chosen, jobs)
        marker.write_text("done\n", encoding="utf-8")
    return sorted(documents.iterdir()), sorted(workbooks.glob("*.xlsx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--councils", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / ".corpus")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    documents, workbooks = make(args.out / f"n{args.councils}", args.councils, args.seed, args.jobs)
    print(f"{len(documents)} council folders, {len(workbooks)} filled workbooks in {args.out}")


if __name__ == "__main__":
    main()
