"""Where downloads land: a temp file beside the destination, moved into place only when whole."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from ._media_types import extension_for


def destination_path(
    destination: str | os.PathLike[str], media_id: str, mime_type: str | None
) -> Path:
    """A folder (existing, or written with a trailing slash) gets `<media_id><ext>`, the ext from
    the mime type; anything else is the file path itself. No name is ever taken from the server."""
    path = Path(destination)
    if is_folder(destination):
        return path / f"{media_id}{extension_for(mime_type)}"
    return path


def is_folder(destination: str | os.PathLike[str]) -> bool:
    """Whether `destination` names a folder to download into (not a file path)."""
    text = os.fspath(destination)
    return Path(text).is_dir() or text.endswith(("/", os.sep))


def refuse_existing(path: Path, overwrite: bool) -> None:
    """FileExistsError for an existing destination unless overwriting was asked for."""
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(
            errno.EEXIST, "file exists (pass overwrite=True to replace it)", os.fspath(path)
        )


class AtomicFile:
    """A `.<name>.part-<random>` file beside `target`; `commit()` makes it `target` whole.

    Leaving the block without `commit()` (an error, a cancelled task) removes the temp file,
    so nothing partial ever appears at the destination.
    """

    def __init__(self, target: Path, *, overwrite: bool):
        self.target = target
        self.overwrite = overwrite
        self.temp_path = target.with_name(f".{target.name}.part-{secrets.token_hex(6)}")
        self._file: BinaryIO | None = None

    def __enter__(self) -> AtomicFile:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        refuse_existing(self.target, self.overwrite)
        self._file = open(self.temp_path, "xb")
        return self

    def write(self, chunk: bytes) -> None:
        """Append bytes to the temp file."""
        assert self._file is not None, "AtomicFile used outside its with-block"
        self._file.write(chunk)

    def commit(self) -> None:
        """fsync, then move into place; without overwrite an existing target is never replaced."""
        assert self._file is not None, "AtomicFile used outside its with-block"
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        if self.overwrite:
            os.replace(self.temp_path, self.target)
        else:
            # link() fails if the target appeared meanwhile: no race can clobber another file.
            os.link(self.temp_path, self.target)
            os.unlink(self.temp_path)
        _fsync_folder(self.target.parent)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._file is not None and not self._file.closed:
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp_path)


def _fsync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder entry is on disk.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
