"""The layout's rules, checked: who may import whom (.importlinter), tasks as wiring only,
and no circle among the modules' own imports. A broken rule fails `make test`."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "claims"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported (not those inside functions)."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            todo.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            todo.extend(node.body + node.orelse + node.finalbody
                        + [s for handler in node.handlers for s in handler.body])
    return found


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The project modules an import statement loads."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".")
            base = base[: len(base) - node.level + (1 if is_package else 0)]
            prefix = ".".join([*base, *([node.module] if node.module else [])])
        else:
            prefix = node.module or ""
        names = [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]
    found = set()
    for name in names:
        while name and name not in known:  # `import claims.x.y` loads claims.x.y
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


def _module_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in CLAIMS.rglob("*.py") if "migrations" not in p.parts}
    known = set(files)
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges = set()
        for node in _top_level_imports(tree):
            edges |= _targets(module, path.name == "__init__.py", node, known)
        # A module's own package is imported before it anyway: not an edge.
        graph[module] = {t for t in edges if t != module and not module.startswith(t + ".")}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_contracts_hold():
    """claims.nlp stands alone; services never import the API, the admin or the views."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_imports_itself_round_a_circle():
    cycle = _cycle(_module_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_circle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


# What a task module may import when it is loaded: Celery, the standard library and the
# shared exceptions. Its service is imported inside each task's body.
TASK_MODULE_IMPORTS = {"__future__", "logging", "random", "celery", "claims.errors"}


def test_tasks_are_wiring_only():
    path = CLAIMS / "tasks.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    loaded = set()
    for node in _top_level_imports(tree):
        if isinstance(node, ast.Import):
            loaded |= {alias.name for alias in node.names}
        else:
            loaded.add(f"claims.{node.module}" if node.level else node.module)
    assert loaded <= TASK_MODULE_IMPORTS, sorted(loaded - TASK_MODULE_IMPORTS)

    tasks = [n for n in tree.body if isinstance(n, ast.FunctionDef)
             and any("task" in ast.unparse(d) for d in n.decorator_list)]
    assert len(tasks) >= 3
    for task in tasks:
        inner = [n for n in ast.walk(task) if isinstance(n, ast.ImportFrom)]
        assert inner and all((n.module or "").startswith("services") and n.level == 1 for n in inner), (
            f"{task.name} must import its service inside its body, and nothing else"
        )


def test_celery_delivery_flags_come_from_the_settings_alone(settings):
    from claims import tasks

    source = (CLAIMS / "tasks.py").read_text(encoding="utf-8")
    for flag in ("acks_late", "reject_on_worker_lost", "ignore_result"):
        assert f"{flag}=" not in source, f"{flag} is a Celery setting, not a task's own"
    for task in (tasks.extract_article_claims, tasks.deliver_webhook, tasks.sweep_due):
        assert task.acks_late is settings.CELERY_TASK_ACKS_LATE is True
        assert task.reject_on_worker_lost is settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
