"""Dependencies point one way: feedback → workflow → notifications."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# An app and the apps it must not import.
ABOVE = {"workflow": {"feedback"}, "notifications": {"feedback", "workflow"}}


def imported_apps(path: Path) -> set[str]:
    """Top-level packages a module imports, and apps it fetches by label."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value).split(".")[0])
    return found


@pytest.mark.parametrize("app", ABOVE)
def test_an_app_imports_nothing_from_the_apps_that_use_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & ABOVE[app])
        for path in (ROOT / app).rglob("*.py")
        if imported_apps(path) & ABOVE[app]
    }
    assert wrong == {}
