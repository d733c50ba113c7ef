from tests.dependencies import app_imports


def test_it_imports_no_app_but_core_from_members():
    offending = {path: apps for path, apps in app_imports("members").items() if apps - {"unionhome"}}
    assert offending == {}
