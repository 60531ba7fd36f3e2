"""Where `media download` saves, what may stand in the way, and how a failure to save is told.

A failure is described by the exception's type and what is really on disk, never by the
library's wording, and always names the destination (not the hidden temp file beside it).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ._errors import CLIError

_SPECIAL_KINDS = (
    (stat.S_ISDIR, "folder"),
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)


def refuse_early(target: Path, *, overwrite: bool) -> None:
    """Before any byte is fetched: NotADirectoryError when a file stands where a parent folder
    of `target` belongs; FileExistsError for a `target` that must not be replaced (an existing
    one without `overwrite`, anything but a regular file even with it)."""
    if file_in_the_way(target) is not None:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), os.fspath(target))
    if os.path.lexists(target) and (not overwrite or special_kind(target) is not None):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fspath(target))


def saving_error(error: OSError, target: Path, *, overwrite: bool) -> CLIError:
    """The one-line error for `error`, raised while saving the download to `target`."""
    if isinstance(error, FileExistsError | NotADirectoryError):
        blocker = file_in_the_way(target)
        if blocker is not None:
            return CLIError(f"cannot save {target}: {blocker} is a file, not a folder")
        if isinstance(error, NotADirectoryError):
            return CLIError(f"cannot save {target}: a parent of it is not a folder")
        kind = special_kind(target)
        if kind is not None:
            return CLIError(f"{target} is a {kind}, not a regular file; it is never replaced")
        if not overwrite:
            return CLIError(f"{target} already exists", hint="pass --overwrite to replace it")
    reason = error.strerror or str(error) or type(error).__name__
    return CLIError(f"cannot save {target}: {reason}")


def file_in_the_way(target: Path) -> Path | None:
    """The nearest existing ancestor of `target` when it is not a folder (so `target` cannot
    be created), else None."""
    for parent in target.parents:
        if os.path.lexists(parent):
            return None if os.path.isdir(parent) else parent
    return None


def special_kind(path: Path) -> str | None:
    """What `path` is ("FIFO", "folder", ...) when it exists and is not a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # gone, or a dangling symlink: replacing it harms nothing
        return None
    for is_kind, kind in _SPECIAL_KINDS:
        if is_kind(mode):
            return kind
    return None
