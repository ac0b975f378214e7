"""The package's shape, read from its source with ``ast`` (every import, also those inside functions):
no import cycle among its modules, no module importing another's ``_private`` name, no module over 600 lines,
and nothing under products/ reading YAML or calling the validation helpers (that is load/'s and layout/'s work).
See docs/architecture.md."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "kaartenoptafel"
MAX_LINES = 600
YAML_READER = "kaartenoptafel.load.yamlfile"  # read_yaml and the located documents
CHECKS = "kaartenoptafel.load.checks"  # its helpers that report to a Collector (``out``) validate: expect, check_keys...


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, str | None]]:
    """(module, imported name or None) for every import in the file, at any depth, resolved to package modules
    where they are ones (``from kaartenoptafel.products import worksheets`` imports the module ``worksheets``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((full, None) if full in known else (base, alias.name))
    return found


def graph(known: dict[str, Path]) -> dict[str, set[str]]:
    edges = {}
    for name, path in known.items():
        edges[name] = {module for module, _ in imports(name, path, known) if module in known and module != name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def private_imports(known: dict[str, Path]) -> list[str]:
    bad = []
    for name, path in known.items():
        for module, imported in imports(name, path, known):
            if imported and imported.startswith("_") and not imported.startswith("__") and module != name \
                    and module.startswith("kaartenoptafel"):
                bad.append(f"{name} imports {imported} from {module}")
    return bad


def validation_helpers(known: dict[str, Path]) -> set[str]:
    """The functions of load/checks.py that report problems: those with an ``out`` parameter."""
    tree = ast.parse(known[CHECKS].read_text("utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and any(arg.arg == "out" for arg in node.args.args + node.args.kwonlyargs)}


def products_reading_files(known: dict[str, Path]) -> list[str]:
    helpers = validation_helpers(known)
    bad = []
    for name, path in known.items():
        if not name.startswith("kaartenoptafel.products."):
            continue
        for module, imported in imports(name, path, known):
            if module.split(".")[0] in ("yaml", "ruamel") or module == YAML_READER or (
                    module == CHECKS and (imported is None or imported in helpers)):
                bad.append(f"{name} imports {imported or module} from {module}")
    return bad


def long_modules(known: dict[str, Path]) -> dict[str, int]:
    sizes = {name: len(path.read_text("utf-8").splitlines()) for name, path in known.items()}
    return {name: n for name, n in sizes.items() if n > MAX_LINES}


def test_the_package_has_its_modules():
    known = modules()
    assert len(known) > 60
    for stage in ("load", "resolve", "layout", "render", "impose", "write", "products"):
        assert any(name.startswith(f"kaartenoptafel.{stage}.") for name in known), stage
    assert {"expect", "check_keys"} <= validation_helpers(known)


def test_no_import_cycle_among_the_modules():
    assert cycles(graph(modules())) == []


def test_no_module_imports_a_private_name_of_another():
    assert private_imports(modules()) == []


def test_no_module_is_over_600_lines():
    assert long_modules(modules()) == {}


def test_no_product_reads_yaml_or_calls_the_validation_helpers():
    assert products_reading_files(modules()) == []


# -- the checks catch what they are for: a small package with each fault -------------------------------------


@pytest.fixture
def faulty(tmp_path):
    root = tmp_path / "kaartenoptafel"
    (root / "products").mkdir(parents=True)
    (root / "load").mkdir()
    files = {
        "__init__.py": "",
        "a.py": "from kaartenoptafel.b import thing\n",
        "b.py": "def thing():\n    from kaartenoptafel import a  # late, still a cycle\n",
        "c.py": "from kaartenoptafel.b import _hidden\n",
        "load/__init__.py": "",
        "load/checks.py": "def expect(out, value): ...\ndef fill(text, variables): ...\n",
        "products/__init__.py": "",
        "products/p.py": "import yaml\nfrom kaartenoptafel.load.checks import expect, fill\n",
        "long.py": "x = 1\n" * (MAX_LINES + 1),
    }
    for rel, text in files.items():
        (root / rel).write_text(text, "utf-8")
    return modules(root)


def test_the_checks_find_each_fault(faulty):
    assert cycles(graph(faulty)) == [["kaartenoptafel.a", "kaartenoptafel.b"]]
    assert private_imports(faulty) == ["kaartenoptafel.c imports _hidden from kaartenoptafel.b"]
    assert sorted(products_reading_files(faulty)) == [
        "kaartenoptafel.products.p imports expect from kaartenoptafel.load.checks",
        "kaartenoptafel.products.p imports yaml from yaml",
    ]
    assert long_modules(faulty) == {"kaartenoptafel.long": MAX_LINES + 1}
