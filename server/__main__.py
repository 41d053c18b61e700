"""Entry point `python -m server`: picks the async runtime from the config and monkey-patches first."""

import os
import sys
import tomllib
import warnings


def _async_mode(argv: list[str]) -> str:
    """Read [server] async_mode before anything else is imported, so patching happens first."""
    if not argv or argv[0] != "run":
        return "threading"  # admin commands (user add, device add) need no green runtime
    path = os.environ.get("ANTRE_CONFIG", "config.toml")
    if "--config" in argv and argv.index("--config") + 1 < len(argv):
        path = argv[argv.index("--config") + 1]
    try:
        with open(path, "rb") as fh:
            return str(tomllib.load(fh).get("server", {}).get("async_mode", "eventlet"))
    except (OSError, tomllib.TOMLDecodeError):
        return "eventlet"  # the real loader reports the problem in one line


_mode = _async_mode(sys.argv[1:])
if _mode == "eventlet":
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
elif _mode == "gevent":
    from gevent import monkey

    monkey.patch_all()

from server.cli import main  # noqa: E402  (must come after monkey patching)

sys.exit(main(sys.argv[1:]))
