"""Writing files so that a reader never sees half of one.

Every file ``tco`` writes (pricing CSVs, cost tables, reports, charts) goes through
:func:`write_atomically`: the bytes go to a temporary file beside the target, which is then
renamed over it, so an interrupted write leaves the old file (or none) and no temporary file.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["write_atomically", "write_text_atomically"]


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
        Target file. A symbolic link is followed (the link stays, the file it points to is
        replaced); a pipe or device (``/dev/stdout``) is written to directly, since it
        cannot be replaced.
    write : callable
        Called once with a binary file object to write the content.

    Returns
    -------
    Path
        The file written (the link's target for a link).

    Notes
    -----
    An existing file keeps its permission bits; a new one gets the usual ``0666 & ~umask``
    (``tempfile`` alone would make it private). On any error the temporary file is removed
    and the target is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "a.txt", lambda fh: fh.write(b"hi")).read_bytes()
    b'hi'
    """
    target = Path(os.path.realpath(path))
    if _stream_target(target):
        with open(target, "wb") as fh:
            write(fh)
        return target
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
