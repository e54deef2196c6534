"""Writing files so that a reader never sees half of one.

Every file ``tco`` writes (pricing CSVs, cost tables, reports, charts) goes through
:func:`write_atomically`: the bytes go to a temporary file beside the target, which is then
renamed over it, so an interrupted write leaves the old file (or none) and no temporary file.
A folder of files (a report) goes through :func:`write_folder_atomically`. While a temporary
file or folder exists, SIGTERM (and SIGHUP) raise :class:`Terminated` in the main thread, so
the clean-up runs on ``kill`` as on Ctrl-C (KeyboardInterrupt) or any error.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "STDOUT",
    "Terminated",
    "write_atomically",
    "write_folder_atomically",
    "write_text_atomically",
]

STDOUT = "-"
"""The path that means standard output (as for most command-line tools)."""


class Terminated(SystemExit):
    """Raised by the handler that :func:`signals_raise` installs, when the process is asked
    to stop (SIGTERM, SIGHUP); exits with 128 + the signal number if nothing catches it."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(128 + signum)


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` (so ``finally`` and
    ``except BaseException`` clean-ups run); the previous handlers come back afterwards.
    Outside the main thread (where handlers cannot be set) the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {}
    for sig in wanted:
        previous[sig] = signal.signal(sig, _raise_terminated)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stream_target(path: Path) -> bool:
    """True when ``path`` exists and is not a regular file (a pipe, a terminal, a device)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{path}: is a folder -> give a file name")
    return not stat.S_ISREG(mode)


def write_atomically(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write a file through a temporary file in the same folder and a rename.

    Parameters
    ----------
    path : str or Path
        Target file; ``"-"`` is standard output. A symbolic link is followed (the link
        stays, the file it points to is replaced); a pipe or device (``/dev/stdout``) is
        written to directly, since it cannot be replaced.
    write : callable
        Called once with a binary file object to write the content.

    Returns
    -------
    Path
        The file written (the link's target for a link).

    Notes
    -----
    An existing file keeps its permission bits; a new one gets the usual ``0666 & ~umask``
    (``tempfile`` alone would make it private). On any error, Ctrl-C or SIGTERM the temporary
    file is removed and the target is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "a.txt", lambda fh: fh.write(b"hi")).read_bytes()
    b'hi'
    """
    if str(path) == STDOUT:
        out = sys.stdout.buffer
        write(out)
        out.flush()
        return Path(STDOUT)
    target = Path(os.path.realpath(path))
    if _stream_target(target):
        with open(target, "wb") as fh:
            write(fh)
        return target
    with signals_raise():
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
            if target.exists():
                shutil.copymode(target, tmp)
            else:
                os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return target


def write_text_atomically(path: str | Path, text: str) -> Path:
    """:func:`write_atomically` of UTF-8 text, newlines written as given."""
    data = text.encode("utf-8")
    return write_atomically(path, lambda fh: fh.write(data))


def _missing_parents(folder: Path) -> list[Path]:
    """The folders above ``folder`` that do not exist yet, outermost first."""
    missing = []
    for parent in folder.parents:
        if parent.exists():
            break
        missing.append(parent)
    return missing[::-1]


def _write_new_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into a temporary folder beside ``folder`` and rename it into place."""
    created = _missing_parents(folder)
    for parent in created:
        parent.mkdir()
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        for name, data in files.items():
            write_atomically(tmp / name, lambda fh, data=data: fh.write(data))  # type: ignore[misc]
        os.chmod(tmp, 0o777 & ~_umask())
        os.rename(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for parent in reversed(created):
            with contextlib.suppress(OSError):
                parent.rmdir()
        raise


def _write_into_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into an existing folder; on failure remove those this call created."""
    created: list[Path] = []
    try:
        for name, data in files.items():
            path = folder / name
            new = not path.exists()
            write_atomically(path, lambda fh, data=data: fh.write(data))  # type: ignore[misc]
            if new:
                created.append(path)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise


def write_folder_atomically(folder: str | Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write several files into a folder so that a failure leaves nothing behind.

    Parameters
    ----------
    folder : str or Path
        Target folder. A new one is written as a temporary folder beside it and renamed
        into place (its missing parents are created, and removed again on failure). Into
        an existing folder each file is written atomically; on failure the files this call
        created are removed (files it replaced keep their new, complete content).
    files : mapping of str -> bytes
        File name (no folders) -> content.

    Returns
    -------
    list of Path
        The files written, in the order given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report"
    >>> [p.name for p in write_folder_atomically(out, {"a.md": b"# a"})]
    ['a.md']
    """
    target = Path(folder)
    for name in files:
        if Path(name).name != name or name in ("", ".", ".."):
            raise ValueError(f"files: {name!r} -> a plain file name, without folders")
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target}: is a file -> a folder to write into")
    with signals_raise():
        if target.is_dir():
            _write_into_folder(target, files)
        else:
            _write_new_folder(target, files)
    return [target / name for name in files]
