"""The walls between our packages hold: the modules of services/ and workflows/ import one
another without a loop, at every level (module, sub-package, package), and services/ sees
nothing of workflows/ but the contract package (workflows/contracts). Read from the source with
ast, every import counted (inside functions and TYPE_CHECKING blocks too)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOPS = ("services", "workflows")
Graph = dict[str, set[str]]


def _modules() -> dict[str, Path]:
    found = {}
    for top in TOPS:
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _known(name: str, modules: dict[str, Path]) -> str:
    """The module an imported name lives in ("" outside our packages)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def _imports(module: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (_known(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:  # `from package import module` imports the module
                yield _known(f"{base}.{alias.name}", modules) or _known(base, modules)


def module_graph() -> Graph:
    modules = _modules()
    return {
        module: {found for found in _imports(module, path, modules) if found not in ("", module)}
        for module, path in modules.items()
    }


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def at_depth(graph: Graph, depth: int) -> Graph:
    """The graph between the units `depth` names deep (a package, or a module above that
    depth); a package importing its own parent or child is no edge between units."""
    units: Graph = {}
    for module, imported in graph.items():
        unit = ".".join(module.split(".")[:depth])
        targets = {".".join(name.split(".")[:depth]) for name in imported}
        units.setdefault(unit, set()).update(t for t in targets if not _related(unit, t))
    return units


def a_cycle(graph: Graph) -> list[str]:
    """One loop of the graph, as the path that closes it ([] when there is none)."""
    done: set[str] = set()
    for start in sorted(graph):
        path: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = []
        node: str | None = start
        while node is not None or stack:
            if node is not None:
                if node in path:
                    return [*path[path.index(node) :], node]
                if node in done:
                    node = None
                    continue
                path.append(node)
                stack.append((node, iter(sorted(graph.get(node, ())))))
            node = next(stack[-1][1], None)
            if node is None:
                done.add(path.pop())
                stack.pop()
    return []


def test_the_cycle_finder_names_a_loop_and_passes_a_tree() -> None:
    loop = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert a_cycle(loop) == ["a", "b", "c", "a"]
    assert a_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set(), "d": {"a"}}) == []
    nested = {"p.x.one": {"p.y.two"}, "p.y.two": {"p.x.three"}, "p.x.three": set()}
    assert a_cycle(nested) == []
    assert a_cycle(at_depth(nested, 2)) == ["p.x", "p.y", "p.x"]


def test_the_graph_sees_our_imports() -> None:
    graph = module_graph()
    assert "workflows.contracts.orders" in graph["services.gateway.commands"]
    assert "workflows.shared.activities" in graph["workflows.ignored_cancels"]


def test_no_module_imports_itself_round_a_loop() -> None:
    assert a_cycle(module_graph()) == []


def test_no_package_imports_itself_round_a_loop_at_any_depth() -> None:
    graph = module_graph()
    deepest = max(len(module.split(".")) for module in graph)
    for depth in range(2, deepest):
        assert a_cycle(at_depth(graph, depth)) == [], f"packages {depth} names deep"


def test_services_import_only_the_contract_from_workflows() -> None:
    leaks = {
        f"{module} -> {imported}"
        for module, imports in module_graph().items()
        if module.startswith("services.")
        for imported in imports
        if imported.split(".")[0] == "workflows"
        and not (imported + ".").startswith("workflows.contracts.")
    }
    assert leaks == set()
