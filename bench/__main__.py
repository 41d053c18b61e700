"""`python -m bench [NAME ...]`: run the benchmarks and write docs/benchmarks.md (machine and date on top)."""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALL = ["server", "scale", "realtime", "watchers", "queries", "counter", "kiosk", "display", "booking", "board", "reports"]
sys.path.insert(0, str(ROOT / "tests"))  # the benchmarks start real servers with the test helpers


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def main(names: list[str]) -> int:
    chosen = names or ALL
    sections = []
    for name in chosen:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError:
            print(f"bench: no benchmark named {name!r}", file=sys.stderr)
            continue
        started = time.monotonic()
        print(f"bench: {name} …", flush=True)
        section = module.main()
        print(section, flush=True)
        sections.append(section.strip() + f"\n\n_(took {time.monotonic() - started:.0f} s)_\n")
    header = (f"# Benchmarks\n\nMade by `make bench` on {datetime.now(UTC):%Y-%m-%d} — {machine()}.\n"
              "Client and server share the same machine over loopback, so these are lower bounds for a real LAN.\n")
    if not names:
        (ROOT / "docs" / "benchmarks.md").write_text(header + "\n" + "\n".join(sections))
        print("bench: wrote docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
