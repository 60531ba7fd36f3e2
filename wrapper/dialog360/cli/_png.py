"""A colourful gradient PNG made in memory (zlib + struct), as the demo's media."""

from __future__ import annotations

import random
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


def gradient_png(width: int = 480, height: int = 320, *, seed: int = 360) -> bytes:
    """An RGB gradient (red across, green down, blue fading) with a little film grain, which
    keeps it from compressing to nothing: about 400 KB at the default size."""
    grain = random.Random(seed).randbytes(width * height * 3)
    reds = [255 * x // max(width - 1, 1) for x in range(width)]
    rows = []
    for y in range(height):
        green = 255 * y // max(height - 1, 1)
        line = bytearray()
        for red in reds:
            line += bytes((red, green, 255 - (red + green) // 2))
        offset = y * width * 3
        noisy = bytes(
            (value + (noise & 15) - 8) & 0xFF if 8 <= value <= 247 else value
            for value, noise in zip(line, grain[offset : offset + width * 3], strict=True)
        )
        rows.append(b"\x00" + noisy)  # filter type 0 (none) per row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + _chunk(b"IEND", b"")
    )
