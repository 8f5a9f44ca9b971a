"""The repository files a script imports, read from its source."""
import pytest

from shared_code.code_snapshot.import_graph import imported_files, imported_names, module_files
from shared_code.amltoolbox.paths import REPO_ROOT


@pytest.fixture(name="repo")
def fixture_repo(tmp_path):
    """A repository with a package, a model folder and a step script."""
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "from . import helpers\nfrom .sub.deep import VALUE\n",
        "pkg/helpers.py": "import json\n",
        "pkg/lazy.py": "def later():\n    from .unused import thing\n",
        "pkg/unused.py": "thing = 1\n",
        "pkg/untouched.py": "x = 1\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/deep.py": "VALUE = 1\n",
        "model_x/__init__.py": "",
        "model_x/model.py": "from pkg.core import *\nimport pkg.lazy\n",
        "model_x/script_steps/train.py": "import os\nfrom model_x.model import train\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_scripts_imports_are_followed_through_every_file(repo):
    found = {path.relative_to(repo).as_posix()
             for path in imported_files([repo / "model_x/script_steps/train.py"], repo)}
    assert found == {"model_x/script_steps/train.py", "model_x/__init__.py", "model_x/model.py",
                     "pkg/__init__.py", "pkg/core.py", "pkg/helpers.py", "pkg/lazy.py",
                     "pkg/unused.py", "pkg/sub/__init__.py", "pkg/sub/deep.py"}


def test_relative_imports_resolve_against_the_files_package(repo):
    assert imported_names(repo / "pkg/core.py", repo) == {"pkg", "pkg.helpers", "pkg.sub.deep",
                                                           "pkg.sub.deep.VALUE"}


def test_importing_a_module_runs_its_packages_inits(repo):
    assert [p.relative_to(repo).as_posix() for p in module_files("pkg.sub.deep", repo)] == [
        "pkg/__init__.py", "pkg/sub/__init__.py", "pkg/sub/deep.py"]
    assert not module_files("json", repo)


def test_a_module_named_for_loading_on_use_counts_as_imported(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "wing.py").write_text("", encoding="utf-8")
    table = tmp_path / "table.py"
    table.write_text('TABLE = {"wing": "pkg.wing:run", "prose": "see pkg.wing: it runs"}\n',
                     encoding="utf-8")
    assert imported_names(table, tmp_path) == {"pkg.wing"}
    assert tmp_path / "pkg" / "wing.py" in imported_files([table], tmp_path)


def test_a_steps_snapshot_holds_the_azure_runtimes_the_run_context_loads_on_use():
    scripts = (REPO_ROOT / "model_a" / "script_steps").glob("*.py")
    files = imported_files(scripts)
    assert REPO_ROOT / "shared_code" / "amltoolbox" / "azure" / "runtime.py" in files
    assert REPO_ROOT / "shared_code" / "aml_sdk_v2" / "runtime.py" in files


def test_model_as_steps_import_no_other_model_and_no_test():
    scripts = (REPO_ROOT / "model_a" / "script_steps").glob("*.py")
    tops = {path.relative_to(REPO_ROOT).parts[0] for path in imported_files(scripts)}
    assert tops == {"model_a", "shared_code"}
