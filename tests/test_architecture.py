"""The layer check (`make lint-imports`, import-linter over pyproject's [tool.importlinter]) keeps
docs/architecture.md's table: it passes on the code as it is, and fails on a copy of the code where
a lower layer imports a higher one, a migration imports live code, or a new package sits in no
layer. Each run analyses a copy in a temporary folder, so the real tree is never edited."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The broken copy is checked once: its tests stay on one xdist worker (--dist loadgroup).
pytestmark = pytest.mark.xdist_group("architecture")

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports over the `programs` package found in `tree`, with the project's contracts."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(  # noqa: S603 (our own tool and arguments)
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_the_code(folder: Path) -> Path:
    shutil.copytree(
        ROOT / "programs", folder / "programs", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def add_line(module: Path, line: str) -> None:
    module.write_text((module.read_text() if module.exists() else "") + f"\n{line}\n")


# Each bad edit, and the line of lint-imports' report that names it. One copy holds them all, so the
# tool runs twice in all (about 5 s a run on this machine).
BAD_EDITS = {
    # The lowest layer reaching the top one.
    "core/text.py": (
        "from programs.views import params",
        "- programs.core.text -> programs.views.params",
    ),
    # One step up: the data reaching for the student's tools.
    "models/money.py": (
        "import programs.decisions.costs",
        "- programs.models.money -> programs.decisions.costs",
    ),
    # Inside a function, where an import cycle could hide.
    "listing/cards.py": (
        "def _late():\n    from programs.publishing import exports  # noqa: F401",
        "- programs.listing.cards -> programs.publishing.exports",
    ),
    # Top-level siblings are independent: a view does not import the admin.
    "views/params.py": (
        "import programs.admin.base",
        "- programs.views.params -> programs.admin.base",
    ),
    # A migration keeps a frozen copy of what it needs.
    "migrations/0001_initial.py": (
        "from programs.core import text",
        "programs.migrations is not allowed to import programs.core",
    ),
    # A new package must be placed in the table (the contract is exhaustive).
    "unplaced/__init__.py": (
        "",
        "The following modules are not listed as layers:\n\n- programs.unplaced",
    ),
}


@pytest.fixture(scope="module")
def report_on_bad_imports(tmp_path_factory) -> subprocess.CompletedProcess[str]:
    tree = copy_of_the_code(tmp_path_factory.mktemp("bad-imports"))
    (tree / "programs" / "unplaced").mkdir()
    for module, (line, _) in BAD_EDITS.items():
        add_line(tree / "programs" / module, line)
    return lint_imports(tree)


def test_the_code_keeps_every_layer_contract(tmp_path):
    result = lint_imports(copy_of_the_code(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert " kept, 0 broken." in result.stdout


def test_a_copy_with_bad_imports_fails_the_check(report_on_bad_imports):
    assert report_on_bad_imports.returncode == 1, report_on_bad_imports.stderr
    assert "programs imports downwards only (docs/architecture.md) BROKEN" in (
        report_on_bad_imports.stdout
    )
    assert "Migrations import no live code (they keep frozen copies) BROKEN" in (
        report_on_bad_imports.stdout
    )


@pytest.mark.parametrize("module", BAD_EDITS)
def test_the_report_names_each_bad_import(report_on_bad_imports, module):
    _, reported = BAD_EDITS[module]

    assert reported in report_on_bad_imports.stdout
