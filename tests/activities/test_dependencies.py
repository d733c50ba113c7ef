"""The activities app imports core and members, never another app's views; apps.py reads selectors."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "activities"


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_module_imports_views_or_the_removed_member_helpers():
    forbidden = {"members.views", "members.models.branch_of", "activities.views"}
    found = {
        (path.name, module)
        for path in APP.glob("*.py")
        if path.name not in ("urls.py",)
        for module in imported_modules(path)
        if module in forbidden or module.startswith("members.views")
    }
    assert found == set()


def test_the_section_hooks_read_through_selectors():
    modules = set(imported_modules(APP / "apps.py"))
    assert "activities.selectors" in modules and not any(m.startswith("activities.views") for m in modules)
    assert "activities.services" not in modules  # a section only reads


def test_identity_comes_from_members_access():
    for path in APP.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert 'getattr(user, "member"' not in source and "member_of(" not in source, path.name
