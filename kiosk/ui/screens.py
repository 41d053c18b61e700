"""Draws the screen of the current state onto a surface and returns the painter (buttons, text overflows)."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.flow import KioskState, Screen
from kiosk.ui import checkin, choose, result, search
from kiosk.ui.draw import Painter
from kiosk.ui.frame import ViewContext, toast

Renderer = Callable[[Painter, KioskState, ViewContext], None]

RENDERERS: dict[Screen, Renderer] = {
    Screen.LOADING: result.loading,
    Screen.HOME: choose.home,
    Screen.SERVICES: choose.services,
    Screen.PRIORITY: choose.priority,
    Screen.CONFIRM: choose.confirm,
    Screen.PRINTING: result.printing,
    Screen.DONE: result.done,
    Screen.PRINT_FAILED: result.print_failed,
    Screen.UNAVAILABLE: result.unavailable,
    Screen.REFUSED: result.refused,
    Screen.CHECKIN: checkin.checkin,
    Screen.SEARCH: search.search,
}


def render(surface: pygame.Surface, state: KioskState, ctx: ViewContext) -> Painter:
    """Draw `state.view` on `surface`; the painter lists the frame's buttons for hit-testing."""
    painter = Painter(surface)
    RENDERERS[state.view](painter, state, ctx)
    toast(painter, state)
    return painter
