"""Compressed bodies for hostile servers: gzip as sent, and gzip bombs made in a blink.

Compressing hundreds of MiB of zeros takes seconds of CPU; a bomb is instead one compressed
MiB of zeros repeated. A full flush after it makes every repeat the same bytes, so the stream
decodes to `decoded_mib` MiB of zeros, with the right CRC and length: a gzip file like any other.
"""

from __future__ import annotations

import functools
import struct
import zlib

MiB = 1024 * 1024
_ZEROS = bytes(MiB)
# ID1 ID2, deflate, no flags, no mtime, "maximum compression", OS unknown.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return packer.compress(data) + packer.flush()


@functools.cache
def gzip_bomb(decoded_mib: int) -> bytes:
    """gzip of `decoded_mib` MiB of zeros (about 1 KB per MiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    one_mib = packer.compress(_ZEROS) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(decoded_mib):
        crc = zlib.crc32(_ZEROS, crc)
    size = decoded_mib * MiB & 0xFFFFFFFF
    return _GZIP_HEADER + one_mib * decoded_mib + packer.flush() + struct.pack("<II", crc, size)
