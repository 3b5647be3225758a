"""The package's shape, checked on its source with ast (no import runs).

- no underscore name is imported from another module (``from x import _name``,
  or ``x._name`` on an imported module);
- the core never imports a host: nothing outside ``newsdigest.apps`` imports
  ``newsdigest.apps``. ``newsdigest.evaluate`` counts as core here: it is a
  harness the benchmark and hosts call (datasets, ROUGE, the runner), and it
  needs no host either; the CLI command lives in ``apps/cli.py``.
  ``newsdigest/__main__.py`` (``python -m newsdigest``) is an entry point
  that only starts the CLI host;
- no import cycle, counting imports inside functions too (that is how heavy
  libraries load late; a late import is still a dependency, and a circle of
  them is the same tangle).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newsdigest"
HOSTS = "newsdigest.apps"
ENTRY_POINTS = {"newsdigest.__main__"}  # `python -m newsdigest`: runs the CLI host


def module_name(path: Path) -> str:
    parts = ["newsdigest", *path.relative_to(PACKAGE).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def absolute(module: str, node: ast.ImportFrom) -> str:
    """The module an ImportFrom reads from, with relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if not MODULES[module].name == "__init__.py":
        package = package[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def imports(module: str) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for each import in ``module``,
    inside functions too; ``if TYPE_CHECKING:`` blocks never run and are skipped."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        for stmt in node.body
        for child in ast.walk(stmt)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = absolute(module, node)
            names = [a.name for a in node.names]
            found.append((source, names, node.lineno))
            # "from package import submodule" imports the submodule too
            found.extend((f"{source}.{n}", [], node.lineno) for n in names if f"{source}.{n}" in MODULES)
    return found


def test_the_walk_finds_the_package():
    assert {"newsdigest", "newsdigest.model", "newsdigest.apps.cli", "newsdigest.nlp.text"} <= set(MODULES)
    cli_imports = {name for name, _, _ in imports("newsdigest.apps.cli")}
    assert "newsdigest.pipeline" in cli_imports  # imported inside a function: seen too


def test_no_private_name_is_imported_from_another_module():
    offenders = []
    for module, path in MODULES.items():
        for source, names, line in imports(module):
            if source.startswith("newsdigest"):
                offenders += [f"{path.name}:{line} imports {n} from {source}" for n in names if n.startswith("_") and n != "__version__"]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.asname or a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
        for node in ast.walk(tree):
            # module._name, where module is an imported name (not self._x or a local object)
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
                and node.value.id not in {"os", "sys", "ctypes", "signal"}
            ):
                offenders.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert offenders == [], offenders


def test_the_core_never_imports_a_host():
    offenders = [
        f"{module} imports {source}"
        for module in MODULES
        if not module.startswith(HOSTS) and module not in ENTRY_POINTS
        for source, _, _ in imports(module)
        if source == HOSTS or source.startswith(HOSTS + ".")
    ]
    assert offenders == [], offenders


def test_no_import_cycles():
    graph = {
        module: {source for source, _, _ in imports(module) if source in MODULES and source != module}
        for module in MODULES
    }
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)
    assert cycles == [], cycles
