"""Apps depend downward (DESIGN.md §3): every import under apps/ — at module level, inside a function, or
under TYPE_CHECKING — points at its own app or an app in a lower layer. A function-local import does not make
an upward dependency acceptable, it only hides the cycle from Python."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APPS_DIR = Path(__file__).resolve().parents[2] / "apps"

# DESIGN.md's order, from the ground up. Apps in one layer are siblings and must not import each other either
# (that would be a cycle waiting to happen); apps not written yet are listed so that they land in their place.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"core"}),
    frozenset({"accounts"}),  # users, roles: a leaf
    frozenset({"regions"}),  # territory, units, scope
    frozenset({"calendars", "notifications"}),
    frozenset({"checklists", "tickets"}),
    frozenset({"patrols", "indicators"}),  # create tickets / feed readiness through the services below
    frozenset({"scoring"}),  # reads tickets, patrols, indicators
    frozenset({"dispatch", "ledgers", "reports", "dashboards"}),  # read everything, imported by nothing
)
RANK = {app: rank for rank, layer in enumerate(LAYERS) for app in layer}


def _imported_apps(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, app) for every absolute import of `apps.<app>` anywhere in the tree (functions included)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "apps" and len(parts) > 1:
                    yield node.lineno, parts[1]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] != "apps":
                continue
            if len(parts) > 1:
                yield node.lineno, parts[1]
            else:  # from apps import regions
                for alias in node.names:
                    yield node.lineno, alias.name


def _modules() -> Iterator[tuple[str, Path]]:
    """(app, path) for every Python module inside an app package."""
    for path in sorted(APPS_DIR.rglob("*.py")):
        relative = path.relative_to(APPS_DIR)
        if len(relative.parts) > 1:
            yield relative.parts[0], path


def upward_imports() -> list[str]:
    """Every import that points at an app above (or beside) the importing one, as `path:line app -> app`."""
    found = []
    for app, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, target in _imported_apps(tree):
            if target != app and RANK.get(target, -1) >= RANK[app]:
                found.append(f"{path.relative_to(APPS_DIR.parent)}:{line} {app} -> {target}")
    return found


def test_every_app_has_a_place_in_the_layers() -> None:
    apps_on_disk = {path.parent.name for path in APPS_DIR.glob("*/apps.py")}
    assert apps_on_disk - RANK.keys() == set(), "add the new app to LAYERS (and to DESIGN.md's order)"


def test_no_app_imports_an_app_above_or_beside_it() -> None:
    assert upward_imports() == []


def test_choices_and_roles_are_leaves_every_module_may_import() -> None:
    leaves = [APPS_DIR / "accounts" / "roles.py", *sorted(APPS_DIR.glob("*/choices.py"))]
    imports = {
        str(path.relative_to(APPS_DIR.parent)): sorted(
            {app for _, app in _imported_apps(ast.parse(path.read_text()))}
        )
        for path in leaves
    }
    assert {path: apps for path, apps in imports.items() if apps} == {}


def test_the_check_sees_function_local_and_type_checking_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from apps.tickets.models import Ticket\n"
        "def f():\n    import apps.dashboards.views\n    from apps import reports\n"
    )
    assert [app for _, app in _imported_apps(ast.parse(source))] == ["tickets", "dashboards", "reports"]
