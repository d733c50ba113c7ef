"""Which apps a package's modules import, read from their source (ast), for the dependency tests."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("unionhome", "members", "activities", "welfare", "congress")


def _imported_names(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def app_imports(package: str) -> dict[str, set[str]]:
    """{module path: the apps (of APPS, other than the package itself) it imports}."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        apps = {name.split(".")[0] for name in _imported_names(tree)} & set(APPS) - {package}
        if apps:
            found[str(path.relative_to(ROOT))] = apps
    return found
