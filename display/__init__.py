"""Waiting-room display: shows called tickets on the TV and announces them in Bahasa Indonesia."""

import os

# pygame prints a banner on import unless told not to; a TV's log needs no advertising.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
