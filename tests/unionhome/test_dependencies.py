from tests.dependencies import app_imports


def test_it_finds_an_import_of_an_app(tmp_path, monkeypatch):
    import tests.dependencies as dependencies

    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text(
        "import members.models\nfrom activities import x\nimportlib.import_module('welfare.demo')\n"
    )
    monkeypatch.setattr(dependencies, "ROOT", tmp_path)
    assert app_imports("core") == {"core/bad.py": {"members", "activities", "welfare"}}


def test_it_imports_no_app_from_core():
    assert app_imports("unionhome") == {}
