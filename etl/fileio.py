"""Writing outputs safely: atomically, inside the output folder, with safe names.

Every output is written to a temporary file beside it, `.~shakyo-<pid>-<random>.tmp`,
and replaces its target only when complete; a set of outputs that belong together (the
consolidated workbook and its CSVs) replaces the old set together, or not at all. A run
killed before it could clean up leaves such files behind: the next run writing into the
folder removes them (`remove_leftovers`), and puts back a set it left half replaced.
A failure of the environment (read-only folder, full disk, a folder where a file
should be, a name too long) becomes an `EtlError` naming the file and what to do.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .problems import EtlError, Location, Problem, problem

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 255  # bytes of UTF-8 on Linux, UTF-16 units on Windows
WINDOWS_MAX_PATH = 259  # characters of a path Windows opens without long-path support
MIN_NAME = 48  # a name is never cut shorter than this to keep a deep folder's paths short
TEMP_PREFIX = ".~shakyo-"
_TEMP = re.compile(r"\A\.~shakyo-([0-9]+)-")
_SWAP_SUFFIX = ".swap.json"  # the list of a set being replaced, until it is

T = TypeVar("T")
_parent: int | None = None  # in a worker process: the batch's process, which must still be alive to write
_stop: Any = None  # in a worker process: set when the batch stops
_temporaries: set[Path] = set()  # written by this process and not yet in place
_temporaries_lock = threading.Lock()  # a temporary is created and listed in one step


class Orphaned(BaseException):
    """The process that started this worker is gone: nothing it asked for may be written any more."""


def safe_filename(name: str, *, folder: Path | None = None, ending: str | None = None) -> str:
    """A file name valid on Windows and Linux that cannot climb out of its folder.

    It fits 255 bytes of UTF-8 and 255 UTF-16 units and, when `folder` is given and
    leaves room, keeps the path within Windows' 260 characters. A name that must be cut
    keeps its `ending` (by default its suffix) and gets a short hash of the whole name,
    so that two long names cut alike still differ.
    """
    cleaned = _UNSAFE.sub("_", name).strip(" .").replace("..", "_") or "_"
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = f"_{cleaned}"
    limit = _room(folder)
    if _fits(cleaned, limit):
        return cleaned
    kept = ending if ending is not None and cleaned.endswith(ending) else Path(cleaned).suffix
    head = cleaned[: len(cleaned) - len(kept)]
    mark = "~" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    while head and not _fits(head + mark + kept, limit):
        head = head[:-1]
    return head.rstrip(" .") + mark + kept


def _room(folder: Path | None) -> int:
    if folder is None:
        return MAX_NAME
    return min(MAX_NAME, max(MIN_NAME, WINDOWS_MAX_PATH - _units(str(folder.absolute())) - 1))


def _fits(name: str, units: int) -> bool:
    return len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME and _units(name) <= units


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; replace `target` only if the block succeeds.

    On failure the temporary file is removed and an existing `target` is untouched; a
    failure of the environment raises `EtlError`.
    """
    with atomic_set([target]) as [tmp]:
        yield tmp


@contextmanager
def atomic_set(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Yield a temporary path for each of `targets`; when the block succeeds, they replace
    the targets together. If one cannot be replaced (open in Excel), those already
    replaced are put back: the old set stays whole, and `EtlError` says which file."""
    with ExitStack() as cleanup:
        temporaries = []
        for target in targets:
            with _temporaries_lock:
                tmp = _guarded(target, partial(_temporary, target))
                _temporaries.add(tmp)
            cleanup.callback(_temporaries.discard, tmp)
            cleanup.callback(tmp.unlink, missing_ok=True)
            temporaries.append(tmp)
        try:
            yield temporaries
        except EtlError:
            raise
        except Exception as err:
            cause = _os_error(err)
            if cause is None:
                raise
            raise environment_error(targets[0], cause) from None
        if _parent is not None and (os.getppid() != _parent or _stop.is_set()):
            raise Orphaned
        _replace_all(list(zip(temporaries, targets, strict=True)))


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    with atomic_path(target) as tmp:
        write(tmp)


def serve_parent(pid: int, stop: Any) -> None:
    """In a worker process: write nothing once process `pid` (the batch) has gone or set `stop`
    (a multiprocessing Event)."""
    global _parent, _stop
    _parent, _stop = pid, stop


def discard_temporaries() -> None:
    """Remove the temporary files this process is writing (a worker told to exit at once).

    Only for a process about to exit: the lock is kept, so that no temporary is created
    between this removal and the exit."""
    _temporaries_lock.acquire()  # never released: the process exits next
    for path in list(_temporaries):
        path.unlink(missing_ok=True)


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files a killed run left in `folder`, and put back a set of outputs
    it left half replaced. Files of runs still going are left alone."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob(f"{TEMP_PREFIX}*"), key=lambda p: not p.name.endswith(_SWAP_SUFFIX)):
        found = _TEMP.match(path.name)
        if found is None or _alive(int(found[1])):
            continue
        try:
            if path.name.endswith(_SWAP_SUFFIX):
                _put_back(path)
            path.unlink(missing_ok=True)
        except OSError:
            continue  # still open elsewhere (Windows), or not ours to remove: left for later


def _temporary(target: Path) -> Path:
    if target.is_dir():  # never set a folder aside in its place
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.chmod(0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared like any saved file
    return tmp_path


def _replace_all(pairs: list[tuple[Path, Path]]) -> None:
    """Each temporary replaces its target; the old targets are set aside until all are in,
    and the list of them is kept in a journal that the next run reads if this one is killed."""
    if len(pairs) == 1:
        tmp, target = pairs[0]
        _guarded(target, partial(tmp.replace, target), replacing=True)
        return
    journal = pairs[0][0].with_suffix(_SWAP_SUFFIX)
    backups = [tmp.with_suffix(".old") for tmp, _ in pairs]
    listed = json.dumps([[str(target), str(backup)] for (_, target), backup in zip(pairs, backups, strict=True)])
    _guarded(pairs[0][1], partial(journal.write_text, listed, encoding="utf-8"))
    aside: list[tuple[Path, Path | None]] = []
    try:
        for (tmp, target), backup in zip(pairs, backups, strict=True):
            aside.append((target, _guarded(target, partial(_set_aside, target, backup), replacing=True)))
            _guarded(target, partial(tmp.replace, target), replacing=True)
    except BaseException:
        for target, backup in reversed(aside):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                backup.replace(target)
        raise
    finally:
        for _, backup in aside:
            if backup is not None:
                backup.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)


def _set_aside(target: Path, backup: Path) -> Path | None:
    if not target.exists():
        return None
    target.replace(backup)
    return backup


def _put_back(journal: Path) -> None:
    """A set a killed run was replacing: every output it had set aside goes back."""
    for target, backup in json.loads(journal.read_text(encoding="utf-8")):
        if backup is not None and Path(backup).exists():
            Path(backup).replace(target)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False  # an open file cannot be removed on Windows: that is the test of a live writer
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _exited(pid)


def _exited(pid: int) -> bool:
    """A process that has exited but is not yet reaped (a zombie) writes nothing more."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False  # no /proc (macOS): taken as running
    return stat.rsplit(")", 1)[-1].split()[:1] in (["Z"], ["X"])


def _guarded(target: Path, action: Callable[[], T], *, replacing: bool = False) -> T:
    try:
        return action()
    except OSError as err:
        raise environment_error(target, err, replacing=replacing) from None


def _os_error(err: BaseException) -> OSError | None:
    """The OSError behind a writer's own exception (xlsxwriter wraps it), if there is one."""
    for candidate in (err, *err.args[:1], err.__cause__, err.__context__):
        if isinstance(candidate, OSError):
            return candidate
    return None


# What the environment did not allow, by kind: Japanese, English (with the system's reason), what to do.
_ENVIRONMENT = {
    "disk_full": (
        "ディスクの空きがないため書けませんでした",
        "the disk is full",
        "空きを作ってからもう一度実行してください",
    ),
    "is_a_folder": (
        "同じ名前のフォルダがあるため書けませんでした",
        "a folder has the name of the file to write",
        "別のファイル名を指定するか、そのフォルダを移してください",
    ),
    "folder_is_a_file": (
        "出力先のフォルダと同じ名前のファイルがあります",
        "a file has the name of the output folder",
        "別の出力フォルダを指定してください",
    ),
    "name_too_long": (
        "パスが長すぎるため書けませんでした",
        "the path is too long",
        "もっと浅いフォルダを指定してください",
    ),
    "not_replaced": (
        "ファイルを書き換えられませんでした（Excel で開いていませんか）",
        "could not replace it ({reason}); is it open in Excel?",
        "ファイルを閉じてからもう一度実行してください",
    ),
    "not_writable": (
        "書き込みが許可されていない場所です（読み取り専用）",
        "not allowed to write here ({reason})",
        "書き込めるフォルダを指定してください",
    ),
    "not_written": ("書き込めませんでした", "could not write it ({reason})", ""),
}


_BY_ERRNO = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EISDIR: "is_a_folder",
    errno.ENAMETOOLONG: "name_too_long",
}


def environment_error(target: Path, err: OSError, *, replacing: bool = False) -> EtlError:
    """The problem of an output the environment would not let us write: where, why, and what to do."""
    kind = _environment_kind(target, err, replacing=replacing)
    return EtlError(_environment_problem(f"output.{kind}", target, err, kind))


def log_error(target: Path, err: OSError) -> EtlError:
    """The same, for the log."""
    kind = _environment_kind(target, err, replacing=False)
    return EtlError(_environment_problem(f"log.{kind}", target, err, kind))


def _environment_problem(code: str, target: Path, err: OSError, kind: str) -> Problem:
    ja, en, hint = _ENVIRONMENT[kind]
    return problem(
        code,
        Location(file=os.fsencode(target).decode("utf-8", "backslashreplace")),
        ja=f"{ja}。以前のファイルはそのままです",
        en=en.format(reason=err.strerror or type(err).__name__) + "; the previous file is unchanged",
        hint=hint,
    )


def _environment_kind(target: Path, err: OSError, *, replacing: bool) -> str:
    if target.is_dir():
        return "is_a_folder"
    kind = _BY_ERRNO.get(err.errno or 0)
    if kind is not None:
        return kind
    if replacing:
        return "not_replaced"
    if err.errno in (errno.ENOTDIR, errno.EEXIST):
        return "folder_is_a_file"
    return "not_writable" if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else "not_written"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
