"""Entry point `python -m server`: picks the async runtime from the config and monkey-patches first."""

import os
import sys
import tomllib
import warnings


def _command_and_config(argv: list[str]) -> tuple[str | None, str | None]:
    """The subcommand and the --config value, wherever --config stands (before or after the subcommand)."""
    command, path, args = None, None, iter(argv)
    for arg in args:
        if arg == "--config":
            path = next(args, path)
        elif arg.startswith("--config="):
            path = arg.partition("=")[2]
        elif command is None and not arg.startswith("-"):
            command = arg
    return command, path


def _async_mode(argv: list[str]) -> str:
    """Read [server] async_mode before anything else is imported, so patching happens first."""
    command, path = _command_and_config(argv)
    if command != "run":
        return "threading"  # admin commands (user add, device add) need no green runtime
    try:
        with open(path or os.environ.get("ANTRE_CONFIG") or "config.toml", "rb") as fh:
            return str(tomllib.load(fh).get("server", {}).get("async_mode", "eventlet"))
    except (OSError, tomllib.TOMLDecodeError):
        return "eventlet"  # the real loader reports the problem in one line


def _main() -> int:
    mode = _async_mode(sys.argv[1:])
    if mode == "eventlet":
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()

    from server.cli import main  # (must come after monkey patching)

    return main(sys.argv[1:])


if __name__ == "__main__":  # importing this module (tests of _async_mode) patches nothing
    sys.exit(_main())
