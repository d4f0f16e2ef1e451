"""One measurement, in a process of its own: `python bench/measure.py TASK SPEC.json`.

The task runs once and prints `{"seconds": ...}` (imports excluded); `bench/run.py` starts
this script for every run and watches the memory of its processes meanwhile.

Tasks: `convert` and `collect` (end to end, with `jobs` processes), `floor` (xlsxwriter
alone replaying each conversion's calls), `read` (guard and read-back of each workbook),
`unzip` (every member of each workbook inflated, nothing parsed) and `pandas` (what an
analyst would write: `pandas.read_excel(path, sheet_name=None)` with openpyxl over every
file, then `pandas.concat` of each sheet across files).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure the tree this file is in, installed or not

from bench.floor import record, replay  # noqa: E402
from etl.collect import collect  # noqa: E402
from etl.collect.gather import read_submission  # noqa: E402
from etl.convert import convert_batch, convert_document, find_documents  # noqa: E402
from etl.render import render_workbook  # noqa: E402


def convert(spec: dict[str, Any]) -> dict[str, Any]:
    pairs = find_documents(spec["folders"])
    start = time.perf_counter()
    batch = convert_batch(pairs, Path(spec["out"]), jobs=spec["jobs"], log=False)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "failed": sum(not o.ok for o in batch.outcomes), "documents": len(pairs)}


def floor(spec: dict[str, Any]) -> dict[str, Any]:
    total = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for document, mapping in find_documents(spec["folders"]):
            assert mapping is not None
            calls = record(lambda d=document, m=mapping: convert_document(d, m, Path(scratch)))
            total += replay(calls, Path(scratch) / "replayed.xlsx")
    return {"seconds": total}


def collect_all(spec: dict[str, Any]) -> dict[str, Any]:
    start = time.perf_counter()
    target = Path(spec["out"]) / "集約.xlsx"
    outcome = collect(spec["files"], target, jobs=spec["jobs"], log=False, regenerate=render_workbook)  # as the CLI
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "councils": len(outcome.councils), "errors": outcome.errors}


def read(spec: dict[str, Any]) -> dict[str, Any]:
    return _each(spec["files"], read_submission)


def unzip(spec: dict[str, Any]) -> dict[str, Any]:
    def inflate(path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                archive.read(info)

    return _each(spec["files"], inflate)


def pandas_alternative(spec: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd  # noqa: PLC0415 - only this task needs it at its own start

    start = time.perf_counter()
    by_sheet: dict[str, list[pd.DataFrame]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about data validations it does not keep
        for path in spec["files"]:
            for sheet, frame in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
                by_sheet.setdefault(sheet, []).append(frame)
    tables = {sheet: pd.concat(frames, ignore_index=True) for sheet, frames in by_sheet.items()}
    return {"seconds": time.perf_counter() - start, "sheets": len(tables)}


def _each(files: list[str], work: Callable[[Path], object]) -> dict[str, Any]:
    paths = [Path(f) for f in files]
    start = time.perf_counter()
    for path in paths:
        work(path)
    return {"seconds": time.perf_counter() - start}


TASKS = {
    "convert": convert,
    "floor": floor,
    "collect": collect_all,
    "read": read,
    "unzip": unzip,
    "pandas": pandas_alternative,
}

if __name__ == "__main__":
    task, spec_file = sys.argv[1], Path(sys.argv[2])
    result = TASKS[task](json.loads(spec_file.read_text(encoding="utf-8")))
    print(json.dumps(result))
