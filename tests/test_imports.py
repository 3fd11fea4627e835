"""The layout's rules, read from the source: no import circle between the project's
modules (imports inside functions count: they only postpone the circle), and the
workflow apps never import credentials/, which plugs into them from its
AppConfig.ready() instead; nothing beneath awards/ imports it, and nothing beneath
courses/ and development/ (which sit on awards) imports those; and the
workflow apps keep a strict order, each importing only those beneath it. Imports
under `if TYPE_CHECKING:` never run and are left out."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "accounts", "proposals", "teams", "metadata_templates", "approvals")
PUBLISHING = "credentials"
# Awards sit on publication: they sign the badges it publishes; nothing beneath
# imports them.
AWARDS = "awards"
# Course mappings and the development pathway sit on top of awards; publication
# asks course mappings through a hook.
TOP = ("courses", "development")
# The workflow apps from the bottom up: each imports only those before it (README,
# "Project layout", says why this order).
WORKFLOW = ("accounts", "proposals", "teams", "metadata_templates", "approvals")
# What renders, checks and bakes the published credential; the workflow needs none.
PUBLISHING_LIBRARIES = ("weasyprint", "openbadges_bakery", "jsonschema", "png")


def _modules() -> dict[str, Path]:
    modules = {}
    for app in (*APPS, PUBLISHING, AWARDS, *TOP):
        for path in (ROOT / app).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def _import_nodes(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for other in node.orelse:
                yield from _import_nodes(other)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _import_nodes(node)


def _imported_names(module: str, path: Path) -> set[str]:
    """Every dotted name the module imports (`from a import b` gives a and a.b)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        names.add(base)
        names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (a name resolves to its longest
    module prefix: `from proposals import models` is proposals.models)."""
    graph = {}
    for module, path in modules.items():
        targets = set()
        for name in _imported_names(module, path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the path that closes it, or None."""
    done, path, on_path = set(), [], set()

    def visit(module: str) -> list[str] | None:
        path.append(module)
        on_path.add(module)
        for target in sorted(graph[module]):
            if target in on_path:
                return path[path.index(target) :] + [target]
            if target not in done and (found := visit(target)):
                return found
        on_path.discard(path.pop())
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done and (found := visit(module)):
            return found
    return None


def test_no_import_circle_between_project_modules():
    circle = _circle(_graph(_modules()))
    assert circle is None, "import circle: " + " -> ".join(circle)


def test_the_workflow_never_imports_credentials():
    modules = _modules()
    offenders = [
        f"{module} imports {name}"
        for module, path in modules.items()
        if module.split(".")[0] in WORKFLOW
        for name in _imported_names(module, path)
        if name.split(".")[0] in (PUBLISHING, AWARDS, *PUBLISHING_LIBRARIES)
    ]
    assert offenders == []


def test_nothing_beneath_awards_imports_them():
    modules = _modules()
    offenders = [
        f"{module} imports {name}"
        for module, path in modules.items()
        if module.split(".")[0] in (*APPS, PUBLISHING)
        for name in _imported_names(module, path)
        if name.split(".")[0] == AWARDS
    ]
    assert offenders == []


def test_nothing_beneath_course_mappings_and_the_pathway_imports_them():
    modules = _modules()
    offenders = [
        f"{module} imports {name}"
        for module, path in modules.items()
        if module.split(".")[0] in (*APPS, PUBLISHING, AWARDS)
        for name in _imported_names(module, path)
        if name.split(".")[0] in TOP
    ]
    assert offenders == []


def test_the_workflow_apps_import_only_those_beneath_them():
    graph = _graph(_modules())
    rank = {app: place for place, app in enumerate(WORKFLOW)}
    upward = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.split(".")[0] in rank
        for target in targets
        if rank.get(target.split(".")[0], -1) > rank[module.split(".")[0]]
    ]
    assert upward == []


def test_the_circle_check_sees_imports_inside_functions(tmp_path):
    """The rule above is only as good as its parser: an import postponed into a
    function still closes a circle, and one under TYPE_CHECKING does not."""
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("def later():\n    from a import thing\n")
    (tmp_path / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n"
    )
    modules = {name: tmp_path / f"{name}.py" for name in ("a", "b", "c")}
    graph = _graph(modules)
    assert _circle(graph) == ["a", "b", "a"]
    assert graph["c"] == set()
