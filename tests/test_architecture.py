"""The house plan holds: imports point one way (programme -> talent / subsidies -> alliance ->
directory -> ssb_portal), no module imports another module's private (underscored) name, and
no module, of the apps or of the tests, grows past ~700 lines.

All read the source, not the running program, so an import inside a function counts as much
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
# Our top-level packages: the apps, the suite and the benchmarks.
OURS = (*APPS, "tests", "bench")
# Migrations name these upload_to functions as <app>.models.<name>, so each models package
# imports them from the module that defines them.
MIGRATION_NAMES = {
    Path("directory/models/__init__.py"): {
        "directory.models.evidence._dataset_file_name",
        "directory.models.evidence._dataset_report_name",
    },
    Path("subsidies/models/__init__.py"): {"subsidies.models.milestones._dataset_stored_name"},
}


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


def private_imports(path: Path) -> set[str]:
    """The private names (a leading underscore, dunders aside) a module imports from a module of
    ours, at any depth of the module, as "module.name"."""
    found = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = node.module or ""
        if node.level == 0 and module.split(".")[0] not in OURS:
            continue
        found |= {
            f"{'.' * node.level}{module}.{alias.name}"
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")
        }
    return found


def modules_of(place: str) -> list[Path]:
    """The modules of an app (migrations aside) or of one folder of the suite or bench/."""
    return source_modules(place) if place in APPS else suite_modules(place)


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


@pytest.mark.parametrize("place", [*APPS, *TEST_FOLDERS, "bench"])
def test_no_module_imports_a_private_name_of_another(place):
    """A name one module shares with another is public: no leading underscore."""
    found = {
        str(path): sorted(private_imports(path) - MIGRATION_NAMES.get(path, set()))
        for path in modules_of(place)
    }
    assert {path: names for path, names in found.items() if names} == {}, (
        "make the name public (drop the underscore, say what it is for) or keep it in its module"
    )


def test_the_private_name_check_reads_every_import(tmp_path, monkeypatch):
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext_lazy as _\n"
        "from django.db.models import _private_of_django\n"
        "from subsidies.services.guards import require_official, _lock\n"
        "from ssb_portal import __version__\n"
        "from .sibling import _helper\n"
        "def late():\n"
        "    from tests.subsidies.services_support import _approve\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert private_imports(Path("module.py")) == {
        "subsidies.services.guards._lock",
        ".sibling._helper",
        "tests.subsidies.services_support._approve",
    }
