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
ALL = ["server", "scale", "realtime", "watchers", "queries", "counter", "kiosk", "display", "booking", "board", "reports",
       "simulate"]
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
        path = ROOT / "docs" / "benchmarks.md"
        kept = _kept_sections(path.read_text() if path.exists() else "", sections)
        path.write_text(header + "\n" + "\n".join(sections + kept))
        print("bench: wrote docs/benchmarks.md")
    return 0


def _kept_sections(old: str, new: list[str]) -> list[str]:
    """The sections of the old file that no benchmark wrote again (measurements made by hand, before/after
    comparisons): kept below the new ones instead of being lost."""
    titles = {s.splitlines()[0] for s in new}
    parts = ["## " + p for p in old.split("\n## ")[1:]]
    return [p.rstrip() + "\n" for p in parts if p.splitlines()[0] not in titles]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
