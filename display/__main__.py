"""Entry point `python -m display` (see display/cli.py)."""

import sys

from display.cli import main

sys.exit(main(sys.argv[1:]))
