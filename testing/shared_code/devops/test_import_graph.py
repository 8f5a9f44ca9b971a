"""The import graph read from the source: what each module depends on, and who reads a file."""
import pytest

from shared_code.devops.import_graph import ImportGraph, is_test_module, module_name


@pytest.fixture(name="graph")
def fixture_graph(small_repository) -> ImportGraph:
    return ImportGraph.build(small_repository)


@pytest.mark.parametrize("path, name", [
    ("shared_code/toolbox/errors.py", "shared_code.toolbox.errors"),
    ("shared_code/toolbox/__init__.py", "shared_code.toolbox"),
    ("testing/testing_helpers.py", "testing.testing_helpers"),
])
def test_a_module_is_named_by_its_path(path, name):
    assert module_name(path) == name


def test_test_modules_are_the_ones_pytest_collects():
    assert is_test_module("testing/model_x/test_model.py")
    assert not is_test_module("testing/testing_helpers.py")
    assert not is_test_module("shared_code/test_thing.py")


def test_the_models_and_files_are_found_but_not_what_tools_made(small_repository):
    (small_repository / "model_x" / "data").mkdir()
    (small_repository / "model_x" / "data" / "rows.py").write_text("", encoding="utf-8")
    (small_repository / ".tox" / "tests").mkdir(parents=True)
    (small_repository / ".tox" / "tests" / "site.py").write_text("", encoding="utf-8")
    for data in (".coverage", ".coverage.host.123.456"):  # a test run's, not the project's
        (small_repository / data).write_text("", encoding="utf-8")
    (small_repository / ".coveragerc").write_text("[run]\n", encoding="utf-8")
    graph = ImportGraph.build(small_repository)
    assert ".coveragerc" in graph.files and not any(
        path.startswith(".coverage") and path != ".coveragerc" for path in graph.files)
    assert graph.models == ("model_x",)
    assert "model_x/data/rows.py" not in graph.files
    assert not any(path.startswith(".tox") for path in graph.files)


def test_imports_run_the_packages_they_lie_in_and_relative_ones_resolve(graph):
    assert graph.depends["shared_code.toolbox.steps"] == {
        "shared_code", "shared_code.toolbox", "shared_code.toolbox.errors"}


def test_an_init_serves_a_name_lazily_its_type_checking_imports_do_not_run(graph):
    assert "shared_code.toolbox.steps" not in graph.depends["shared_code.toolbox"]
    assert "shared_code.toolbox.steps" in graph.depends["model_x.aml_pipeline"]


def test_a_late_import_in_a_function_counts(graph):
    assert "shared_code.plots" in graph.depends["shared_code.toolbox.serve_cmd"]


def test_a_module_named_in_a_string_counts_as_a_module_run_or_dispatched_to(graph):
    assert "shared_code.toolbox.child" in graph.depends["shared_code.toolbox.launcher"]
    assert "shared_code.toolbox.serve_cmd" in graph.depends["shared_code.toolbox.menu"]


def test_a_sibling_named_by_its_file_name_counts_as_a_module_started_by_its_path(
        small_repository):
    (small_repository / "shared_code" / "toolbox" / "starter.py").write_text(
        "from pathlib import Path\nCHILD = Path(__file__).with_name('child.py')\n",
        encoding="utf-8")
    graph = ImportGraph.build(small_repository)
    assert "shared_code.toolbox.child" in graph.depends["shared_code.toolbox.starter"]


def test_a_bare_import_from_testing_resolves_there(graph):
    assert "testing.testing_helpers" in graph.depends["testing.shared_code.toolbox.test_launcher"]


def test_a_test_depends_on_the_conftest_above_it_and_on_its_model(graph):
    depends = graph.depends["testing.model_x.test_pipeline"]
    assert "testing.conftest" in depends
    assert graph.model_modules("model_x") <= depends
    assert graph.model_modules("model_x") <= graph.depends["testing.shared_code.test_runs_model_x"]


def test_the_toolbox_naming_a_model_does_not_depend_on_it(small_repository):
    (small_repository / "shared_code" / "unused.py").write_text("SOURCE = 'model_x'\n",
                                                                 encoding="utf-8")
    graph = ImportGraph.build(small_repository)
    assert not graph.depends["shared_code.unused"] & graph.model_modules("model_x")


def test_the_modules_a_change_reaches_with_the_chain_it_goes_through(graph):
    chains = graph.affected_by({"shared_code.toolbox.errors"})
    assert chains["testing.shared_code.toolbox.test_errors"] == [
        "shared_code.toolbox.errors", "testing.shared_code.toolbox.test_errors"]
    assert chains["testing.model_x.test_model"][0] == "shared_code.toolbox.errors"
    assert "testing.shared_code.toolbox.test_menu" not in chains


@pytest.mark.parametrize("path, readers", [
    ("model_x/config/model_config.yml", {"model_x", "model_x.aml_pipeline", "model_x.model"}),
    ("shared_code/toolbox/templates/page.html",
     {"shared_code.toolbox", "shared_code.toolbox.steps", "shared_code.toolbox.errors",
      "shared_code.toolbox.launcher", "shared_code.toolbox.child", "shared_code.toolbox.menu",
      "shared_code.toolbox.serve_cmd", "testing.shared_code.test_page"}),
    ("shared_code/plots.py", {"shared_code.plots"}),
    ("LICENSE", set()),
])
def test_who_reads_a_file(graph, path, readers):
    assert graph.readers(path) == readers


def test_a_file_a_string_names_by_its_path_tail_or_its_base_name(small_repository):
    (small_repository / "testing" / "test_readme.py").write_text("NAME = 'README.md'\n",
                                                                 encoding="utf-8")
    (small_repository / "testing" / "test_word.py").write_text("WORD = 'tox'\n",
                                                               encoding="utf-8")
    graph = ImportGraph.build(small_repository)
    assert "testing.test_readme" in graph.readers("README.md")
    assert "testing.test_word" not in graph.readers(".ci/tox")


def test_a_deleted_module_is_known_by_name_so_its_importers_are_found(small_repository):
    (small_repository / "shared_code" / "plots.py").unlink()
    graph = ImportGraph.build(small_repository, ("shared_code/plots.py",))
    assert "model_x.model" in graph.affected_by({"shared_code.plots"})


def test_a_module_that_does_not_parse_depends_on_nothing(small_repository):
    (small_repository / "shared_code" / "plots.py").write_text("def (:\n", encoding="utf-8")
    graph = ImportGraph.build(small_repository)
    assert graph.depends["shared_code.plots"] == set()
    assert "model_x.model" in graph.affected_by({"shared_code.plots"})


def test_the_dependencies_of_modules_directly_or_not(graph):
    assert graph.dependencies_of({"model_x.aml_pipeline"}) >= {
        "shared_code.toolbox.steps", "shared_code.toolbox.errors", "shared_code"}
