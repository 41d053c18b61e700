"""The layers of STYLE.md, read from the source with `ast` (nothing is imported): imports point downward only."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSPORTS = ("server.api", "server.web", "server.realtime")
CLIENTS = ("kiosk", "display", "counter", "hardware")
GREEN_RUNTIMES = ("eventlet", "gevent")
ENTRY_POINT = "server/__main__.py"  # monkey-patches first, above every other import (PITFALLS.md)


@dataclass(frozen=True, slots=True)
class Import:
    """One imported name, resolved to an absolute dotted path (`from ..api import x` in server/web → server.api.x)."""

    file: str
    line: int
    module: str
    statement: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} imports {self.module}  ({self.statement})"


def _package(rel: Path) -> list[str]:
    """The package a relative import starts from: the folder the file is in (an `__init__.py` too)."""
    return list(rel.parent.parts)


def _statement(node: ast.Import | ast.ImportFrom) -> str:
    names = ", ".join(a.name for a in node.names)
    if isinstance(node, ast.Import):
        return f"import {names}"
    return f"from {'.' * node.level}{node.module or ''} import {names}"


def _parse(source: str, filename: str) -> ast.AST:
    """ast.parse, once more if CPython 3.11 raises "AST constructor recursion depth mismatch": its parser's depth
    counter is shared between threads, so a traceback formatted at that moment by another thread of the test
    process (3.11 parses source lines for its ^^^ markers) can break this parse. That is the interpreter, not the
    code under test; a second parse is exact."""
    try:
        return ast.parse(source, filename=filename)
    except SystemError:
        return ast.parse(source, filename=filename)


def imports_of(path: Path, root: Path | None = None) -> Iterator[Import]:
    """Every import in the file, at any depth (inside functions and `if TYPE_CHECKING:` too)."""
    rel = path.relative_to(root or ROOT)
    for node in ast.walk(_parse(path.read_text(encoding="utf-8"), str(rel))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(rel.as_posix(), node.lineno, alias.name, _statement(node))
        elif isinstance(node, ast.ImportFrom):
            package = _package(rel)
            base = package[: len(package) - node.level + 1] if node.level else []
            prefix = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                yield Import(rel.as_posix(), node.lineno, f"{prefix}.{alias.name}", _statement(node))


def python_files(*folders: str) -> list[Path]:
    files = [p for f in folders for p in sorted((ROOT / f).rglob("*.py")) if "__pycache__" not in p.parts]
    assert files, f"no Python files under {folders}: the rule would pass without checking anything"
    return files


def within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(folders: tuple[str, ...], forbidden: Callable[[Import], bool]) -> list[str]:
    """One line per offending import statement (the first forbidden name it brings in)."""
    found: dict[tuple[str, int], str] = {}
    for path in python_files(*folders):
        for i in imports_of(path):
            if forbidden(i):
                found.setdefault((i.file, i.line), str(i))
    return list(found.values())


def explain(rule: str, found: list[str]) -> str:
    return f"{rule}; these imports break it:\n  " + "\n  ".join(found)


# ---------------------------------------------------------------------------------------------- the scanner itself
def test_relative_imports_are_resolved_against_the_importing_module(tmp_path: Path) -> None:
    (tmp_path / "server/realtime").mkdir(parents=True)
    hub = tmp_path / "server/realtime/hub.py"
    hub.write_text("from ..api.serialize import ticket_json\nfrom . import emits\n"
                   "def later():\n    import eventlet.wsgi\n")
    (tmp_path / "server/realtime/__init__.py").write_text("from .hub import Hub\nfrom .. import api\n")
    assert [i.module for i in imports_of(hub, tmp_path)] == [
        "server.api.serialize.ticket_json", "server.realtime.emits", "eventlet.wsgi"]
    assert [i.module for i in imports_of(tmp_path / "server/realtime/__init__.py", tmp_path)] == [
        "server.realtime.hub.Hub", "server.api"]


# ---------------------------------------------------------------------------------------------- the rules
def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    found = violations(("server/domain",), lambda i: not (within(i.module, "server.domain")
                                                        or i.module.split(".")[0] in sys.stdlib_module_names))
    assert not found, explain("server/domain may import only the standard library and server.domain", found)


def test_the_rest_api_imports_no_other_transport() -> None:
    found = violations(("server/api",), lambda i: within(i.module, "server.web", "server.realtime"))
    assert not found, explain("server/api must not import server.web or server.realtime", found)


def test_the_web_pages_import_no_other_transport() -> None:
    found = violations(("server/web",), lambda i: within(i.module, "server.api", "server.realtime"))
    assert not found, explain("server/web must not import server.api or server.realtime", found)


def test_the_realtime_hub_imports_no_other_transport() -> None:
    found = violations(("server/realtime",), lambda i: within(i.module, "server.api", "server.web"))
    assert not found, explain("server/realtime must not import server.api or server.web", found)


def test_storage_imports_neither_use_cases_nor_transports() -> None:
    found = violations(("server/storage",), lambda i: within(i.module, "server.services", *TRANSPORTS))
    assert not found, explain("server/storage must not import server.services or a transport", found)


def test_use_cases_import_no_transport() -> None:
    found = violations(("server/services",), lambda i: within(i.module, *TRANSPORTS))
    assert not found, explain("server/services must not import server.api, server.web or server.realtime", found)


def test_clients_and_hardware_never_import_the_server() -> None:
    found = violations(CLIENTS, lambda i: within(i.module, "server"))
    assert not found, explain("kiosk/, display/, counter/ and hardware/ talk to the server over HTTP and Socket.IO "
                              "only, never `import server`", found)


def test_only_the_entry_point_imports_a_green_runtime() -> None:
    found = violations(("server", *CLIENTS), lambda i: within(i.module, *GREEN_RUNTIMES) and i.file != ENTRY_POINT)
    assert not found, explain(f"only {ENTRY_POINT} may import eventlet or gevent (it monkey-patches first)", found)
    at_entry = [i for i in imports_of(ROOT / ENTRY_POINT) if within(i.module, *GREEN_RUNTIMES)]
    assert at_entry, f"{ENTRY_POINT} no longer patches: move this rule to the new entry point"
