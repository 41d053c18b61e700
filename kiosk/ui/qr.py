"""QR codes as pygame surfaces (the `qrcode` package's matrix, drawn with crisp square modules)."""

from __future__ import annotations

from functools import lru_cache

import pygame
import qrcode
from qrcode.constants import ERROR_CORRECT_M

QR_BORDER_MODULES = 2


@lru_cache(maxsize=16)
def qr_surface(data: str, size: int) -> pygame.Surface:
    """A QR code of `data` at most `size` pixels wide, with whole-pixel modules so phones read it easily."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_BORDER_MODULES)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    module_px = max(1, size // modules)
    surface = pygame.Surface((modules * module_px, modules * module_px))
    surface.fill((255, 255, 255))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                surface.fill((0, 0, 0), (x * module_px, y * module_px, module_px, module_px))
    return surface
