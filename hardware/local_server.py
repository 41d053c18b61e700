"""The server on this machine, as a kiosk or TV PC finds it: read from the same config.toml (and ANTRE_PORT) the
server starts from, so a device whose own `server` key is absent or left at the sample follows the real port."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

DEFAULT_SERVER = "http://127.0.0.1:5000"  # the sample config's address (and the fallback)


def local_server(raw: Mapping[str, Any]) -> str:
    """The base URL of the server that this parsed config.toml starts on this machine."""
    table = raw.get("server", {})
    table = table if isinstance(table, dict) else {}
    port = str(os.environ.get("ANTRE_PORT") or table.get("port", 5000)).strip()
    host = str(table.get("host", "127.0.0.1"))
    if host in ("", "0.0.0.0", "::"):  # the server listens everywhere: reach it through loopback
        host = "127.0.0.1"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}" if port.isdigit() else DEFAULT_SERVER
