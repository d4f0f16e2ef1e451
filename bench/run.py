"""The benchmark: convert and collect at national scale against their floors and the obvious
alternative, in one run on the same files, printed as one table.

    python bench/run.py                   # quick: 100 councils
    python bench/run.py --councils 1741   # every council of Japan (about an hour on 2 cores)
    python bench/run.py --collect-only    # the collect rows alone

The corpus (bench/corpus.py) is made once and kept in bench/.corpus/. Every figure is
the median of `--runs` runs (each in a fresh process) with the fastest and slowest; the
runs over every council and the pandas alternative over more than 100 files run once, as
the table's `runs` column says. Peak memory is the largest total proportional set size
(PSS; RSS where PSS is unknown) of the measured process and its workers, sampled every
0.1 s. Linux reads it from /proc; elsewhere the column is empty. A ratio of two tasks that
run in one process each is of their CPU seconds (steady when others share the machine),
the others of wall seconds; the ratio column says which. The pandas rows give both: against
collect on all cores in wall seconds, and against collect in one process (`--jobs 1`) in
CPU seconds, which does not depend on how loaded the machine is.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure the tree this file is in, installed or not

from bench import corpus  # noqa: E402
from etl.batch import default_jobs  # noqa: E402

MEASURE = Path(__file__).resolve().parent / "measure.py"
CONVERT_SAMPLE = 100  # councils converted with one core, and replayed with xlsxwriter alone
ONCE_ABOVE = 100  # runs over more files than this (pandas) or over every council (convert) run once
COLLECT_SIZES = (10, 100, 1741)


@dataclass
class Row:
    measure: str
    councils: int
    seconds: list[float]
    peak_mb: float | None
    cpu: list[float]
    ratio: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def cpu_ratio(self, other: Row, name: str) -> None:
        self.ratio = f"{self.median_cpu / other.median_cpu:.1f}× {name} (CPU s)"


def measure(task: str, spec: dict[str, object], runs: int) -> tuple[list[float], float | None, list[float]]:
    """Seconds of each run of `task`, the peak memory (MB) of the worst run, and the CPU
    seconds of each run."""
    seconds, peaks, cpu = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            spec_file = Path(scratch) / "spec.json"
            spec_file.write_text(json.dumps({**spec, "out": scratch}), encoding="utf-8")
            process = subprocess.Popen(
                [sys.executable, str(MEASURE), task, str(spec_file)], stdout=subprocess.PIPE, text=True
            )
            watcher = _MemoryWatcher(process.pid)
            watcher.start()
            output, _ = process.communicate()
            watcher.stop()
            if process.returncode != 0:
                raise RuntimeError(f"{task} failed (exit {process.returncode})")
            result = json.loads(output.strip().splitlines()[-1])
            if result.get("failed") or result.get("documents", 1) == 0:
                raise RuntimeError(f"{task}: {result}")
            seconds.append(result["seconds"])
            cpu.append(result["cpu"])
            peaks.append(watcher.peak)
    known = [p for p in peaks if p is not None]
    return seconds, (max(known) / 2**20 if known else None), cpu


class _MemoryWatcher(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak: float | None = 0.0 if Path("/proc").is_dir() else None
        self._stopping = threading.Event()

    def run(self) -> None:
        while self.peak is not None and not self._stopping.wait(0.1):
            self.peak = max(self.peak, sum(_memory(pid) for pid in _tree(self.pid)))

    def stop(self) -> None:
        self._stopping.set()
        self.join()


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def _memory(pid: int) -> float:
    """Bytes of memory a process uses: its PSS, or its RSS where PSS is unknown."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0.0


def benchmark(councils: int, runs: int, jobs: int, *, collect_only: bool = False) -> list[Row]:
    folders, workbooks = corpus.make(ROOT / "bench" / ".corpus" / f"n{councils}", councils, jobs=jobs)
    rows: list[Row] = []

    def add(label: str, task: str, count: int, spec: dict[str, object], times: int) -> Row:
        seconds, peak, cpu = measure(task, spec, times)
        rows.append(Row(label, count, seconds, peak, cpu))
        print(f"  {label} ({count}): {statistics.median(seconds):.2f} s", file=sys.stderr)
        return rows[-1]

    if not collect_only:
        _convert_rows(add, folders, councils, runs, jobs)
    for size in sorted({n for n in COLLECT_SIZES if n < councils} | {councils}):
        _collect_rows(add, [str(f) for f in workbooks[:size]], runs, jobs)
    return rows


def _convert_rows(add: Callable[..., Row], folders: list[Path], councils: int, runs: int, jobs: int) -> None:
    sample = [str(f) for f in folders[:CONVERT_SAMPLE]]
    one = add("convert, 1 core", "convert", len(sample), {"folders": sample, "jobs": 1}, runs)
    add(f"convert, {jobs} cores", "convert", len(sample), {"folders": sample, "jobs": jobs}, runs)
    if councils > len(sample):
        every = [str(f) for f in folders]
        add(f"convert, {jobs} cores", "convert", councils, {"folders": every, "jobs": jobs}, 1)
    floor = add("xlsxwriter alone, same workbooks (floor)", "floor", len(sample), {"folders": sample}, runs)
    floor.ratio = f"convert 1 core = {one.median / floor.median:.1f}× floor (wall s)"


def _collect_rows(add: Callable[..., Row], files: list[str], runs: int, jobs: int) -> None:
    size = len(files)
    times = runs if size <= ONCE_ABOVE else max(1, runs - 1)
    collected = add(f"collect, {jobs} cores", "collect", size, {"files": files, "jobs": jobs}, times)
    alone = add("collect, 1 core", "collect", size, {"files": files, "jobs": 1}, times)
    feedback = add(
        "collect --feedback (send-back copies), 1 core", "feedback", size, {"files": files, "jobs": 1}, times
    )
    feedback.cpu_ratio(alone, "collect 1 core")
    fill = add("demo fill, 1 core", "fill", size, {"files": files}, times)
    fill.cpu_ratio(alone, "collect 1 core")
    read = add("read (guard + read-back), 1 core", "read", size, {"files": files}, times)
    unzip = add("unzip only (floor), 1 core", "unzip", size, {"files": files}, times)
    read.cpu_ratio(unzip, "unzip")
    once = runs if size <= ONCE_ABOVE else 1
    for label, task in (("openpyxl", "pandas"), ("calamine", "calamine")):
        peer = add(f"pandas.read_excel ({label}) + concat, 1 core", task, size, {"files": files}, once)
        wall = f"{peer.median / collected.median:.1f}× collect {jobs} cores (wall s)"
        peer.ratio = f"{wall}; {peer.median_cpu / alone.median_cpu:.1f}× collect 1 core (CPU s)"


def table(rows: list[Row]) -> str:
    lines = [
        "| measure | councils | runs | median s | min s | max s | councils/s | ms/council | peak MB | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        peak = f"{row.peak_mb:.0f}" if row.peak_mb is not None else ""
        lines.append(
            f"| {row.measure} | {row.councils} | {len(row.seconds)} | {row.median:.2f} | {min(row.seconds):.2f} "
            f"| {max(row.seconds):.2f} | {row.councils / row.median:.1f} | {1000 * row.median / row.councils:.1f} "
            f"| {peak} | {row.ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark convert and collect at national scale.")
    parser.add_argument("--councils", type=int, default=100, help="councils in the corpus (at most 1741 is the aim)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (fewer for the largest)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="cores for the parallel runs")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--collect-only", action="store_true", help="measure collect and reading only")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = benchmark(args.councils, args.runs, args.jobs, collect_only=args.collect_only)
    text = table(rows)
    print(text)
    print(f"\n{os.cpu_count()} CPUs, {args.jobs} jobs, {time.perf_counter() - started:.0f} s in all", file=sys.stderr)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
