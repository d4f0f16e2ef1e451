"""Writing outputs safely: atomically, inside the output folder, with safe names."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .problems import EtlError, Location, problem

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, max_length: int = 120) -> str:
    """A file name valid on Windows that cannot climb out of its folder."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    cleaned = cleaned.replace("..", "_")[:max_length] or "_"
    return f"_{cleaned}" if cleaned.split(".")[0].upper() in _RESERVED else cleaned


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; replace `target` only if the block succeeds.

    On failure the temporary file is removed and an existing `target` is untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f"{target.suffix}.tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.chmod(0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared like any saved file
    try:
        yield tmp_path
        try:
            tmp_path.replace(target)
        except OSError as err:
            raise _locked(target, err) from None
    finally:
        tmp_path.unlink(missing_ok=True)


def _locked(target: Path, err: OSError) -> EtlError:
    return EtlError(
        problem(
            "output.not_replaced",
            Location(file=str(target)),
            ja="出力ファイルを書き換えられませんでした（Excel で開いていませんか）。以前のファイルはそのままです",
            en=f"could not replace the output ({err.strerror}); is it open in Excel? The previous file is unchanged",
            hint="ファイルを閉じてからもう一度実行してください",
        )
    )


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    with atomic_path(target) as tmp:
        write(tmp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
