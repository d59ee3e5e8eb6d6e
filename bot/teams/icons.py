"""The Teams app icons, drawn in code: a benzene ring, the chemistry in ChemClust.

Teams wants a 192×192 full-colour icon and a 32×32 outline icon (white on transparent).
Drawing them here keeps binary files out of the repository and needs no imaging library.
"""

from __future__ import annotations

import math
import struct
import zlib

ACCENT = (31, 110, 140)  # the manifest's accentColor, #1F6E8C
WHITE = (255, 255, 255)

Pixel = tuple[int, int, int, int]


def png(width: int, height: int, pixels: list[list[Pixel]]) -> bytes:
    """An 8-bit RGBA PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"".join(bytes(p) for p in row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _hexagon_distance(x: float, y: float, radius: float) -> float:
    """How far (x, y), relative to the centre, lies from a pointy-top hexagon's outline."""
    angle = math.atan2(y, x)
    sector = math.pi / 3
    # Distance from the centre to the edge in this direction (apothem / cos of the offset).
    offset = (angle - math.pi / 6) % sector - sector / 2
    edge = radius * math.cos(math.pi / 6) / math.cos(offset)
    return abs(math.hypot(x, y) - edge)


def _ring(size: int, x: int, y: int) -> bool:
    centre = (size - 1) / 2
    dx, dy = x - centre, y - centre
    on_ring = _hexagon_distance(dx, dy, size * 0.36) <= size * 0.045
    on_circle = abs(math.hypot(dx, dy) - size * 0.17) <= size * 0.03
    return on_ring or on_circle


def color_icon(size: int = 192) -> bytes:
    rows = [
        [(*WHITE, 255) if _ring(size, x, y) else (*ACCENT, 255) for x in range(size)]
        for y in range(size)
    ]
    return png(size, size, rows)


def outline_icon(size: int = 32) -> bytes:
    rows = [
        [(*WHITE, 255) if _ring(size, x, y) else (0, 0, 0, 0) for x in range(size)]
        for y in range(size)
    ]
    return png(size, size, rows)
