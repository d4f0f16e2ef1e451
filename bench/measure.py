"""One measurement, in a process of its own: `python bench/measure.py TASK SPEC.json`.

The task runs once and prints `{"seconds": ...}` (imports excluded); `bench/run.py` starts
this script for every run and watches the memory of its processes meanwhile.

Tasks: `convert` and `collect` (end to end, with `jobs` processes; `feedback` with the
send-back copies too), `floor` (xlsxwriter alone replaying each conversion's calls), `read`
(guard and read-back of each workbook), `unzip` (every member of each workbook inflated,
nothing parsed), `fill` (what `demo fill` does to each workbook) and `pandas` / `calamine`
(what an analyst would write: `pandas.read_excel(path, sheet_name=None)` with openpyxl, or
with python-calamine, over every file, then `pandas.concat` of each sheet across files).

Besides the seconds it took, each task prints the CPU seconds it used (its own and its
workers'): on a machine others share, the ratio of two single-process tasks is steadier
in CPU seconds than in wall seconds.
"""

from __future__ import annotations

import json
import os
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
from etl.demo import fill_workbook  # noqa: E402
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


def collect_all(spec: dict[str, Any], *, feedback: bool = False) -> dict[str, Any]:
    out = Path(spec["out"])
    start = time.perf_counter()
    outcome = collect(
        spec["files"],
        out / "集約.xlsx",
        feedback_dir=out / "返送" if feedback else None,
        jobs=spec["jobs"],
        log=False,
        regenerate=render_workbook,  # as the CLI
    )
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "councils": len(outcome.councils), "copies": len(outcome.feedback)}


def collect_with_feedback(spec: dict[str, Any]) -> dict[str, Any]:
    return collect_all(spec, feedback=True)


def fill(spec: dict[str, Any]) -> dict[str, Any]:
    out = Path(spec["out"])
    return _each(spec["files"], lambda path: fill_workbook(path, out / path.name, mistakes=["text_in_number"]))


def read(spec: dict[str, Any]) -> dict[str, Any]:
    return _each(spec["files"], read_submission)


def unzip(spec: dict[str, Any]) -> dict[str, Any]:
    def inflate(path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                archive.read(info)

    return _each(spec["files"], inflate)


def pandas_alternative(spec: dict[str, Any], engine: str = "openpyxl") -> dict[str, Any]:
    import pandas as pd  # noqa: PLC0415 - only this task needs it at its own start

    start = time.perf_counter()
    by_sheet: dict[str, list[pd.DataFrame]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about data validations it does not keep
        for path in spec["files"]:
            for sheet, frame in pd.read_excel(path, sheet_name=None, engine=engine).items():
                by_sheet.setdefault(sheet, []).append(frame)
    tables = {sheet: pd.concat(frames, ignore_index=True) for sheet, frames in by_sheet.items()}
    return {"seconds": time.perf_counter() - start, "sheets": len(tables)}


def _each(files: list[str], work: Callable[[Path], object]) -> dict[str, Any]:
    paths = [Path(f) for f in files]
    start = time.perf_counter()
    for path in paths:
        work(path)
    return {"seconds": time.perf_counter() - start}


def calamine_alternative(spec: dict[str, Any]) -> dict[str, Any]:
    return pandas_alternative(spec, engine="calamine")


def cpu_seconds() -> float:
    """CPU seconds of this process and of its workers that ended."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


TASKS = {
    "convert": convert,
    "floor": floor,
    "collect": collect_all,
    "feedback": collect_with_feedback,
    "read": read,
    "unzip": unzip,
    "fill": fill,
    "pandas": pandas_alternative,
    "calamine": calamine_alternative,
}

if __name__ == "__main__":
    task, spec_file = sys.argv[1], Path(sys.argv[2])
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    cpu = cpu_seconds()
    result = TASKS[task](spec)
    print(json.dumps({**result, "cpu": cpu_seconds() - cpu}))
