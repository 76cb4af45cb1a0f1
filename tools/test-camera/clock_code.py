"""The picture code of the test camera's `/clock` mount: the wall-clock time a frame was made,
drawn as black and white blocks that survive H.264, scaling and a browser's screenshot.

Pure Python (no numpy, no GStreamer): the camera (Debian's /usr/bin/python3) draws with it and the
live view benchmark (the project's virtual environment) reads with it, so both always agree on
the layout.

Layout, in pixels of the 640x360 picture: a grid of 12 x 6 cells of 40 x 40, centred (480 x 240
from (80, 60)) on a mid-gray background.

* The outer ring of the grid (32 cells) is a fixed checkerboard: cell (column, row) is black when
  column + row is even. It finds and validates the code: a reading whose ring is not exactly the
  checkerboard is not a code (a frame not yet decoded, an overlay, the wrong place).
* The 10 x 4 inner cells, row by row, left to right, hold 40 bits, most significant first, white
  for 1: the frame's time as milliseconds since the Unix epoch modulo 2^32 (49.7 days; the
  reader takes the instant nearest its own clock), then a CRC-8 (polynomial 0x07) of those four
  bytes, big-endian.

Luma is studio range: black 16, white 235, background 128; chroma stays neutral (128).
"""
from __future__ import annotations

WIDTH, HEIGHT = 640, 360
FPS = 25
CELL = 40
COLUMNS, ROWS = 12, 6
LEFT, TOP = (WIDTH - COLUMNS * CELL) // 2, (HEIGHT - ROWS * CELL) // 2
TIME_BITS, CRC_BITS = 32, 8
BLACK, WHITE, GRAY = 16, 235, 128


def ring_cells() -> list[tuple[int, int]]:
    """(column, row) of every cell of the fixed outer ring."""
    return [(c, r) for r in range(ROWS) for c in range(COLUMNS) if r in (0, ROWS - 1) or c in (0, COLUMNS - 1)]


def data_cells() -> list[tuple[int, int]]:
    """(column, row) of the 40 data cells in bit order (most significant first)."""
    return [(c, r) for r in range(1, ROWS - 1) for c in range(1, COLUMNS - 1)]


def ring_bit(column: int, row: int) -> int:
    """The ring's fixed value at a cell: 0 (black) where column + row is even, 1 (white) elsewhere."""
    return (column + row) % 2


def cell_centre(column: int, row: int) -> tuple[float, float]:
    """The centre of a cell in picture pixels."""
    return LEFT + (column + 0.5) * CELL, TOP + (row + 0.5) * CELL


def crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def bits_of(milliseconds: int) -> list[int]:
    """The 40 data bits for an instant in milliseconds since the epoch."""
    stamp = milliseconds % (1 << TIME_BITS)
    word = (stamp << CRC_BITS) | crc8(stamp.to_bytes(4, "big"))
    return [(word >> (TIME_BITS + CRC_BITS - 1 - i)) & 1 for i in range(TIME_BITS + CRC_BITS)]


def base_frame() -> bytearray:
    """An I420 frame (Y, then U and V at half size) with the background and the ring drawn; the
    data cells are drawn on a copy of it by `paint`."""
    frame = bytearray([GRAY]) * (WIDTH * HEIGHT) + bytearray([128]) * (WIDTH * HEIGHT // 2)
    for column, row in ring_cells():
        _fill(frame, column, row, WHITE if ring_bit(column, row) else BLACK)
    return frame


_ROWS_OF = {BLACK: bytes([BLACK]) * CELL, WHITE: bytes([WHITE]) * CELL}


def _fill(frame: bytearray, column: int, row: int, luma: int) -> None:
    line = _ROWS_OF[luma]
    x = LEFT + column * CELL
    for y in range(TOP + row * CELL, TOP + (row + 1) * CELL):
        frame[y * WIDTH + x:y * WIDTH + x + CELL] = line


def paint(frame: bytearray, milliseconds: int) -> None:
    """Draws the code of `milliseconds` into the data cells of `frame` (a copy of base_frame())."""
    for (column, row), bit in zip(data_cells(), bits_of(milliseconds)):
        _fill(frame, column, row, WHITE if bit else BLACK)


def read(luma_at, near_ms: int, dark: float = 90, light: float = 165) -> tuple[int | None, str]:
    """Reads a code: `luma_at(x, y)` answers the luma (0-255, full range, as a screen shows it) at
    a point of the picture in picture pixels. Answers (milliseconds since the epoch, "") for a
    valid code, the instant nearest `near_ms` among those with its low 32 bits, or (None, why).
    A cell must read clearly dark or light; the ring must be the checkerboard and the CRC must
    hold."""
    def bit(column: int, row: int) -> int | None:
        value = luma_at(*cell_centre(column, row))
        return 0 if value <= dark else 1 if value >= light else None

    for column, row in ring_cells():
        got = bit(column, row)
        if got != ring_bit(column, row):
            return None, f"ring cell ({column}, {row}) reads {'unclear' if got is None else got}"
    bits = [bit(column, row) for column, row in data_cells()]
    if None in bits:
        return None, f"{bits.count(None)} data cells unclear"
    word = 0
    for b in bits:
        word = (word << 1) | b
    stamp, crc = word >> CRC_BITS, word & 0xFF
    if crc8(stamp.to_bytes(4, "big")) != crc:
        return None, "CRC mismatch"
    span = 1 << TIME_BITS
    return near_ms - ((near_ms - stamp + span // 2) % span - span // 2), ""
