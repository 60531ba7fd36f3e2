"""Where downloads land: a temp file beside the destination, moved into place only when whole.

The rules: only a regular file is ever replaced (never a device, FIFO, socket or folder, even
with overwrite); without overwrite an existing file is never clobbered, also on filesystems
without hard links; temp names fit the filesystem's name limit; every error names the
destination, never the hidden temp file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path
from typing import NoReturn

from . import _constants as C
from ._media_types import extension_for
from ._off_loop import off_loop_to_the_end

# os.link fails with these where the filesystem has no hard links (FAT, some FUSE and network
# filesystems, some container overlays): place the file another way then.
_NO_HARD_LINKS = frozenset(
    code
    for code in (
        errno.EPERM,
        errno.EOPNOTSUPP,
        getattr(errno, "ENOTSUP", errno.EOPNOTSUPP),
        errno.EXDEV,
        errno.EMLINK,
        errno.ENOSYS,
    )
)


def destination_path(
    destination: str | os.PathLike[str], media_id: str, mime_type: str | None, *, folder: bool
) -> Path:
    """A folder (as check_destination() judged it) gets `<media_id><ext>`, the ext from the
    mime type; anything else is the file path itself. No name is ever taken from the server."""
    path = Path(destination)
    if folder:
        return path / f"{media_id}{extension_for(mime_type)}"
    return path


def is_folder(destination: str | os.PathLike[str]) -> bool:
    """Whether `destination` names a folder to download into (not a file path)."""
    text = os.fspath(destination)
    return Path(text).is_dir() or text.endswith(("/", os.sep))


def check_destination(destination: str | os.PathLike[str], overwrite: bool) -> bool:
    """What can be judged before any request: an explicit file path as refuse_existing() does;
    a folder destination that is in fact a file (or under one) -> NotADirectoryError.
    True when `destination` is a folder to download into (existing, or written with a trailing
    slash), False for a file path."""
    if not is_folder(destination):
        refuse_existing(Path(destination), overwrite)
        return False
    try:
        mode = os.stat(destination).st_mode
    except FileNotFoundError:
        return True  # created when the download starts
    except NotADirectoryError:
        mode = 0
    if not stat.S_ISDIR(mode):
        _raise(errno.ENOTDIR, "the destination folder is not a folder", Path(destination))
    return True


def refuse_existing(path: Path, overwrite: bool) -> None:
    """Raise unless a download may be placed at `path`: FileExistsError for an existing file
    (unless overwriting), IsADirectoryError / NotADirectoryError / OSError for a folder, a
    parent that is a file, or something that is not a regular file (even when overwriting)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return  # missing folders on the way are created
    except NotADirectoryError:
        _raise(errno.ENOTDIR, "a parent of the destination is not a folder", path)
    if stat.S_ISDIR(mode):
        _raise(errno.EISDIR, "the destination is a folder", path)
    if not _is_regular(path, mode):
        _raise(
            errno.EINVAL,
            "the destination exists and is not a regular file (a device, FIFO, socket or "
            "broken link is never replaced)",
            path,
        )
    if not overwrite:
        _raise(errno.EEXIST, "file exists (pass overwrite=True to replace it)", path)


def _is_regular(path: Path, mode: int) -> bool:
    # A link to a regular file may be replaced (the link goes, its target stays untouched);
    # a link to a device, a FIFO or nothing may not.
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return False
    return stat.S_ISREG(mode)


def temp_name(target_name: str, token: str, name_max: int) -> str:
    """`.<name>.part-<token>`, the name cut short so the whole fits in `name_max` bytes."""
    suffix = f".part-{token}"
    room = name_max - len(os.fsencode("." + suffix))
    stem = target_name
    while stem and len(os.fsencode(stem)) > room:
        stem = stem[: max(0, min(len(stem) - 1, room))]
    return f".{stem}{suffix}"


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return C.DEFAULT_NAME_MAX


class AtomicFile:
    """A `.<name>.part-<random>` file beside `target`; `commit()` makes it `target` whole.

    Nothing touches the disk before `create()`, the first `write()` or `commit()`: there the
    folder is made and the temp file created, on whichever thread calls it (for an event loop,
    never the loop itself). Leaving the block without `commit()` (any exception: an error, a
    cancelled task, KeyboardInterrupt, SystemExit) removes the temp file, so nothing partial
    ever appears at the destination; after `commit()` leaving it touches nothing. Errors name
    the destination, not the temp file. One thread at a time: the writers finish their work
    before the block is left.
    """

    def __init__(self, target: Path, *, overwrite: bool):
        self.target = target
        self.overwrite = overwrite
        self.temp_path: Path | None = None
        # A bare descriptor, not a file object: opening one of those costs three more
        # syscalls, and on a worker thread every syscall is a wait to take the GIL back from a
        # busy event loop. Nothing is buffered here, so there is nothing to flush.
        self._fd: int | None = None
        self._placeholder: tuple[int, int] | None = None

    def __enter__(self) -> AtomicFile:
        return self

    def create(self) -> None:
        """Create the temp file now rather than at the first write (a blocking caller: a
        signal mid-download then finds a file to remove, as the CLI promises)."""
        self._opened()

    def _opened(self) -> int:
        # No lstat of the target first: the checks before the request judged it, and placing
        # judges it again (link() and the claim never clobber; replace re-checks its type).
        if self._fd is not None:
            return self._fd
        try:
            try:
                self._fd = self._create_temp()
            except FileNotFoundError:  # the folder is not there yet: one mkdir, only then
                self._make_folder()
                self._fd = self._create_temp()
        except NotADirectoryError:
            _raise(errno.ENOTDIR, "a parent of the destination is not a folder", self.target)
        except OSError as error:
            _renamed(error, self.target)
        return self._fd

    def _create_temp(self) -> int:
        folder = self.target.parent
        try:
            return self._create_temp_within(C.DEFAULT_NAME_MAX)
        except OSError as error:
            # The folder's own limit is asked only when the usual one was too long: one
            # syscall fewer per download.
            if error.errno != errno.ENAMETOOLONG:
                raise
            name_max = _name_max(folder)
            if name_max >= C.DEFAULT_NAME_MAX:
                raise
            return self._create_temp_within(name_max)

    def _create_temp_within(self, name_max: int) -> int:
        # Named before the create: a signal landing right after it (KeyboardInterrupt comes
        # between two bytecodes) still finds the file to remove. Closed by commit() or on
        # leaving the block.
        self.temp_path = self.target.parent / temp_name(
            self.target.name, secrets.token_hex(6), name_max
        )
        try:
            return os.open(
                self.temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666
            )
        except FileExistsError:
            self.temp_path = None  # a name found taken is someone else's file: never removed
            raise

    def _make_folder(self) -> None:
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            _raise(errno.ENOTDIR, "a parent of the destination is not a folder", self.target)

    def write(self, chunk: bytes) -> None:
        """Append bytes to the temp file (created by the first call)."""
        fd = self._opened()
        try:
            view = memoryview(chunk)
            while view:  # a write may take less than all (a signal, a nearly full disk)
                view = view[os.write(fd, view) :]
        except OSError as error:  # a full disk, say: about the destination, for the caller
            _renamed(error, self.target)

    def flush(self) -> None:
        """Nothing to do: every write() went to the kernel already."""

    def fileno(self) -> int:
        """The temp file's descriptor."""
        return self._opened()

    def commit(self) -> None:
        """fsync, move into place, fsync the folder; without overwrite an existing target is
        never replaced."""
        fd = self._opened()  # an empty media file is created here
        assert self.temp_path is not None
        try:
            os.fsync(fd)
            self._close()
            if self.overwrite:
                refuse_existing(self.target, overwrite=True)  # as late as possible
                os.replace(self.temp_path, self.target)
            else:
                self._place_new()
        except OSError as error:
            _renamed(error, self.target)
        self.temp_path = None  # placed: nothing left to remove
        _fsync_folder(self.target.parent)

    def _close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def _place_new(self) -> None:
        assert self.temp_path is not None
        try:
            # link() fails if the target exists, so no race can clobber another file.
            os.link(self.temp_path, self.target)
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise
        else:
            os.unlink(self.temp_path)
            return
        # No hard links here. Claim the name with an exclusive create (it fails if anything is
        # there), then rename the temp file over our own empty claim. A writer that itself
        # never clobbers (O_EXCL, link) cannot take the name meanwhile; only one that replaces
        # files anyway could have its file replaced in turn. The claim is removed again on
        # any failure, so no empty file is left behind.
        fd = os.open(self.target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            info = os.fstat(fd)
        finally:
            os.close(fd)
        self._placeholder = (info.st_dev, info.st_ino)
        os.replace(self.temp_path, self.target)
        self._placeholder = None

    async def __aenter__(self) -> AtomicFile:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """`__exit__` for an event loop: what is left to remove is removed on a worker thread,
        and waited for even by a cancelled task, so nothing is left when it ends."""
        if self._fd is None and self.temp_path is None and self._placeholder is None:
            return  # committed, or never created: nothing to touch
        await off_loop_to_the_end(self.__exit__, *exc_info)

    def __exit__(self, *exc_info: object) -> None:
        with contextlib.suppress(OSError):
            self._close()
        if self.temp_path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.temp_path)
        if self._placeholder is not None:
            self._remove_placeholder(self._placeholder)

    def _remove_placeholder(self, claimed: tuple[int, int]) -> None:
        # Only our own empty claim: whatever else is at the target now is someone's file.
        with contextlib.suppress(OSError):
            info = os.lstat(self.target)
            if (info.st_dev, info.st_ino) == claimed and info.st_size == 0:
                os.unlink(self.target)


def _raise(code: int, message: str, path: Path) -> NoReturn:
    # OSError(errno, ...) builds the matching subclass: FileExistsError, NotADirectoryError...
    raise OSError(code, message, os.fspath(path))


def _renamed(error: OSError, target: Path) -> NoReturn:
    """The same OSError (same errno, same subclass), naming the destination instead of a temp
    file or naming nothing."""
    if error.filename == os.fspath(target) and error.filename2 is None:
        raise error
    raise OSError(error.errno, error.strerror or str(error), os.fspath(target)) from error


def _fsync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder entry is on disk.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
