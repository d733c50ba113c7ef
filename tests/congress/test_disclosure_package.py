"""The finance disclosures are a package of the one app `congress` (congress/disclosures/), and
the two halves of the app import nothing of each other, read from the source (ast).

The proposal side may import the package only where the app registers it: congress/models.py its
models, congress/admin.py its admin, congress/demo.py its demo, congress/apps.py its work-queue
items (the selector of disclosures awaiting confirmation). One module of the package reads
welfare, and only welfare.selectors (aggregates, never a name)."""

import ast

from tests.dependencies import ROOT

CONGRESS = ROOT / "congress"
PACKAGE = CONGRESS / "disclosures"
FLAT_FILES = {"models", "services", "selectors", "access", "views", "forms", "admin", "resources", "urls"}
REGISTRATIONS = {
    "congress/models.py": {"congress.disclosures.models"},
    "congress/admin.py": {"congress.disclosures.admin"},
    "congress/demo.py": {"congress.disclosures.demo"},
    "congress/apps.py": {"congress.disclosures.selectors"},
}


def _imports(path):
    """Every module a file imports: `from a import b` counts as `a` and as `a.b`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _in_package(name):
    return name == "congress.disclosures" or name.startswith("congress.disclosures.")


def _relative(path):
    return str(path.relative_to(ROOT))


def _proposal_side():
    return [
        path
        for path in sorted(CONGRESS.rglob("*.py"))
        if PACKAGE not in path.parents and "migrations" not in path.parts
    ]


def test_it_has_the_flat_files():
    assert {path.stem for path in PACKAGE.glob("*.py")} >= FLAT_FILES


def test_it_keeps_the_proposal_side_off_the_package():
    crossing = {}
    for path in _proposal_side():
        allowed = REGISTRATIONS.get(_relative(path), set())
        found = {
            name
            for name in _imports(path)
            if _in_package(name) and not any(name == ok or name.startswith(f"{ok}.") for ok in allowed)
        }
        if found:
            crossing[_relative(path)] = found
    assert crossing == {}


def test_it_keeps_the_package_off_the_proposal_side():
    crossing = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        found = {
            name
            for name in _imports(path)
            if (name == "congress" or name.startswith("congress.")) and not _in_package(name)
        }
        if found:
            crossing[_relative(path)] = found
    assert crossing == {}


def test_it_reads_welfare_in_one_module_through_its_selectors_only():
    readers = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        found = {name for name in _imports(path) if name == "welfare" or name.startswith("welfare.")}
        if found:
            readers[_relative(path)] = found
    assert list(readers) == ["congress/disclosures/selectors.py"]
    assert readers["congress/disclosures/selectors.py"] <= {"welfare", "welfare.selectors"}


def test_it_registers_the_package_in_the_one_app(settings):
    from django.apps import apps

    from congress.disclosures import models

    package_models = (
        models.Disclosure,
        models.DisclosureLine,
        models.DisclosureAttachment,
        models.FinanceCategory,
    )
    for model in package_models:
        assert model._meta.app_label == "congress"
        assert apps.get_model("congress", model.__name__) is model
    assert "congress.disclosures" not in settings.INSTALLED_APPS
