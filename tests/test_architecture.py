"""The house plan holds: imports point one way (programme -> talent / subsidies -> alliance ->
directory -> ssb_portal) and no module, of the apps or of the tests, grows past ~700 lines.

Both read the source, not the running program, so an import inside a function counts as much
as one at the top of a module.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("ssb_portal", "directory", "alliance", "subsidies", "talent", "programme")

# What each app may import of ours besides itself: the map in docs/architecture.md.
MAY_IMPORT = {
    "ssb_portal": set(),
    "directory": {"ssb_portal"},
    "alliance": {"directory", "ssb_portal"},
    "talent": {"directory", "ssb_portal"},
    "subsidies": {"alliance", "directory", "ssb_portal"},
    "programme": {"talent", "subsidies", "alliance", "directory", "ssb_portal"},
}
# The root URL configuration wires every app's pages and API into one site: it is the one
# module of ssb_portal that names the apps.
WIRING = {Path("ssb_portal/urls.py")}
LONGEST_MODULE = 700


def source_modules(app: str) -> list[Path]:
    return sorted(
        path.relative_to(ROOT)
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def suite_modules(folder: str) -> list[Path]:
    """The modules directly in one folder of the test suite (its sub-folders have their own)."""
    return sorted(path.relative_to(ROOT) for path in (ROOT / folder).glob("*.py"))


# Every folder of the suite that holds modules: tests/ itself, one per app, e2e/.
TEST_FOLDERS = sorted(
    {
        str(path.parent.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    }
)


def too_long(paths: list[Path]) -> dict[str, int]:
    """The modules past LONGEST_MODULE lines, with their length."""
    return {
        str(path): lines
        for path in paths
        if (lines := len((ROOT / path).read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    }


def imported_apps(path: Path) -> set[str]:
    """The apps of ours that a module imports, at any depth of the module."""
    found = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(APPS)
    return found


def test_the_map_covers_every_app():
    assert set(MAY_IMPORT) == set(APPS)
    assert all((ROOT / app / "apps.py").exists() for app in APPS)


@pytest.mark.parametrize("app", APPS)
def test_imports_point_down_the_map(app):
    against_the_map = {
        str(path): sorted(imported_apps(path) - MAY_IMPORT[app] - {app})
        for path in source_modules(app)
        if path not in WIRING
    }
    assert {path: apps for path, apps in against_the_map.items() if apps} == {}


def test_the_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    module = tmp_path / "module.py"
    module.write_text("def late():\n    from subsidies.rules import x\n    import talent.models\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert imported_apps(Path("module.py")) == {"subsidies", "talent"}


@pytest.mark.parametrize("app", APPS)
def test_no_module_passes_700_lines(app):
    assert too_long(source_modules(app)) == {}, (
        "split these by concern (docs/architecture.md says where)"
    )


def test_every_folder_of_the_suite_is_checked():
    assert {"tests", "tests/e2e"} | {f"tests/{app}" for app in APPS} <= set(TEST_FOLDERS)


@pytest.mark.parametrize("folder", TEST_FOLDERS)
def test_no_test_module_passes_700_lines(folder):
    assert too_long(suite_modules(folder)) == {}, (
        "split these by the behaviour they prove, beside the code of that behaviour"
    )
