"""How long `mapping draft` takes on the inputs issue 15 bounds: each bundled sample, a
document of 10,000 numbered items and a text just under the 50 MB the reader accepts.

    python bench/draft.py

Issue 15 asks for a draft in under a minute on 2 cores; a text over 50 MB is refused
by the reader before anything is inferred.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure the tree this file is in, installed or not

from etl.mapping.draft import draft_mapping  # noqa: E402
from etl.read.text import MAX_TEXT_BYTES  # noqa: E402


def documents(folder: Path) -> list[Path]:
    numbered = folder / "numbered.txt"
    items = (f"({i % 50 + 1}) 事業{i}\n事業{i}を行います。" for i in range(10_000))
    numbered.write_text("令和5年度 事業計画\n" + "\n".join(items), encoding="utf-8")
    sample = (ROOT / "mappings" / "kodaira" / "sample.txt").read_text(encoding="utf-8")
    large = folder / "large.txt"
    large.write_text(sample * (MAX_TEXT_BYTES // len(sample.encode("utf-8"))), encoding="utf-8")
    return [*sorted(ROOT.glob("mappings/*/sample.txt")), numbered, large]


def label(document: Path) -> str:
    return document.parent.name if document.name == "sample.txt" else document.stem


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for document in documents(Path(folder)):
            started = time.perf_counter()
            summary = draft_mapping(document).summary
            seconds = time.perf_counter() - started
            size = document.stat().st_size / 1e6
            print(f"{label(document):12} {size:6.1f} MB {seconds:6.1f} s  {summary.text()}")


if __name__ == "__main__":
    main()
