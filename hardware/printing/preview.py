"""Draws a ticket layout as a PNG preview, one pixel per printer dot, with the bundled DejaVu fonts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from hardware.printing.layout import (
    CHAR_HEIGHT_DOTS,
    CHAR_WIDTH_DOTS,
    Block,
    Gap,
    Line,
    Paper,
    QrCode,
    qr_image,
    ticket_blocks,
)
from hardware.printing.ticket import TicketPrint

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
# DejaVu Sans Mono advances 1233/2048 em per character; this size gives the 12-dot pitch of font A, so a line
# that fits the preview fits the paper.
_MONO_ADVANCE_EM = 1233 / 2048
LINE_SPACING_DOTS = 6  # printers add a few dots between lines of text
MARGIN_TOP_DOTS = 16
MARGIN_BOTTOM_DOTS = 3 * (CHAR_HEIGHT_DOTS + LINE_SPACING_DOTS)
PAPER_EDGE_GREY = 200


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    return ImageFont.truetype(str(FONTS_DIR / name), CHAR_WIDTH_DOTS * size / _MONO_ADVANCE_EM)


def render_preview(ticket: TicketPrint, paper: Paper) -> Image.Image:
    """The ticket as a greyscale image as wide as the paper's printable dots."""
    blocks = ticket_blocks(ticket, paper)
    height = MARGIN_TOP_DOTS + sum(_block_height(block) for block in blocks) + MARGIN_BOTTOM_DOTS
    image = Image.new("L", (paper.width_dots, height), 255)
    draw = ImageDraw.Draw(image)
    top = MARGIN_TOP_DOTS
    for block in blocks:
        _draw_block(image, draw, block, top)
        top += _block_height(block)
    # A thin grey edge shows where the paper ends when the preview sits on a white page.
    draw.rectangle((0, 0, paper.width_dots - 1, height - 1), outline=PAPER_EDGE_GREY)
    return image


def save_preview(ticket: TicketPrint, paper: Paper, path: Path) -> Path:
    """Render the preview and write it as PNG to `path`; returns `path`."""
    render_preview(ticket, paper).save(path, format="PNG", optimize=True)
    return path


def _block_height(block: Block) -> int:
    match block:
        case Line(size=size):
            return CHAR_HEIGHT_DOTS * size + LINE_SPACING_DOTS
        case QrCode():
            return qr_image(block).height + LINE_SPACING_DOTS
        case Gap(lines=lines):
            return lines * (CHAR_HEIGHT_DOTS + LINE_SPACING_DOTS)
    raise TypeError(f"unknown block {block!r}")


def _draw_block(image: Image.Image, draw: ImageDraw.ImageDraw, block: Block, top: int) -> None:
    match block:
        case Line(text=text, size=size, bold=bold, invert=invert):
            # Printers center by whole character cells, so the preview does too.
            width = len(text) * CHAR_WIDTH_DOTS * size
            left = (image.width - width) // 2
            ink = 0
            if invert:
                draw.rectangle((left, top, left + width - 1, top + CHAR_HEIGHT_DOTS * size - 1), fill=0)
                ink = 255
            draw.text((left, top), text, font=_font(bold, size), fill=ink, anchor="la")
        case QrCode():
            code = qr_image(block).convert("L")
            image.paste(code, ((image.width - code.width) // 2, top))
        case Gap():
            pass
