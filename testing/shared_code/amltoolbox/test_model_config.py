"""config/model_config.yml: read, checked, and kept apart from other model folders."""
import shutil

import pytest
import yaml

from shared_code.amltoolbox.model_config import (EvaluationRule, ModelConfigError,
                                                 check_unique_names, load_model_config)
from shared_code.amltoolbox.naming import NamingError
from shared_code.amltoolbox.paths import MODEL_CONFIG_FILE, REPO_ROOT

MODEL_A = REPO_ROOT / "model_a"


def copy_model_a(repo, name: str):
    """`cp -r model_a <name>` into `repo`, without data."""
    return shutil.copytree(MODEL_A, repo / name,
                           ignore=shutil.ignore_patterns("data", "__pycache__"))


def edit_config(folder, edit) -> None:
    """Apply `edit` to the folder's config, as a user editing the YAML would."""
    path = folder / MODEL_CONFIG_FILE
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(raw)
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")


def rename_throughout(raw, name: str) -> None:
    """What a user renaming a copied folder must change."""
    raw["model"].update(name=name, folder=name)
    for spec in raw["datasets"].values():
        spec["name"] = spec["name"].replace("diabetes", name.replace("_", ""))


def test_model_a_config_is_read_whole():
    config = load_model_config(MODEL_A)
    assert (config.folder, config.model_name, config.experiment_name) == (
        MODEL_A, "model_a", "model_a")
    assert config.dataset("training").name == "regression-diabetes-training-01"
    assert config.dataset("testing").type == "tabular"
    assert config.evaluation == EvaluationRule("rmse", False, 0.0)
    assert "target" in config.training and config.tags["modeltype"] == "regression"
    description = config.dataset("training").description_text()
    assert all(label in description for label in ("Data source:", "Content:",
                                                  "Original purpose:", "Contacts:"))


def test_an_undeclared_dataset_usage_lists_the_declared_ones():
    with pytest.raises(ModelConfigError, match="no 'validation' dataset.*training, testing"):
        load_model_config(MODEL_A).dataset("validation")


def _delete(path: str):
    def edit(raw):
        *parents, last = path.split(".")
        for key in parents:
            raw = raw[key]
        del raw[last]
    return edit


@pytest.mark.parametrize("key", [
    "model", "model.folder", "azureml", "azureml.experiment", "azureml.compute_target",
    "evaluation", "evaluation.primary_metric", "datasets", "datasets.training.name",
    "datasets.training.type", "datasets.training.path", "datasets.training.description",
    "datasets.testing.description.contacts", "datasets.training.description.data_source"])
def test_a_missing_key_is_named_with_the_file_and_an_example(tmp_path, key):
    folder = copy_model_a(tmp_path, "model_a")
    edit_config(folder, _delete(key))
    with pytest.raises(ModelConfigError, match=rf"model_config.yml: '{key}' is missing; add it "
                                               r"\(see model_a"):
        load_model_config(folder)


def test_the_model_name_defaults_to_the_folder_name(tmp_path):
    folder = copy_model_a(tmp_path, "model_a")
    edit_config(folder, _delete("model.name"))
    assert load_model_config(folder).model_name == "model_a"


@pytest.mark.parametrize("edit, error, message", [
    (lambda raw: raw["datasets"]["training"].update(type="images"), ModelConfigError,
     r"datasets.training.type is 'images'; use one of"),
    (lambda raw: raw["datasets"]["training"].update(name="diabetes_training"), NamingError,
     "modeltype-project-usage-version"),
    (lambda raw: raw["model"].update(name="model a"), NamingError, "not valid in Azure ML"),
])
def test_bad_values_are_refused(tmp_path, edit, error, message):
    folder = copy_model_a(tmp_path, "model_a")
    edit_config(folder, edit)
    with pytest.raises(error, match=message):
        load_model_config(folder)


def test_a_missing_or_unreadable_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(ModelConfigError, match="model_config.yml does not exist"):
        load_model_config(tmp_path)
    (tmp_path / "config").mkdir()
    (tmp_path / MODEL_CONFIG_FILE).write_text("model: [unclosed", encoding="utf-8")
    with pytest.raises(ModelConfigError, match="is not valid YAML"):
        load_model_config(tmp_path)


def test_a_copied_folder_is_refused_until_renamed_throughout(tmp_path):
    folder = copy_model_a(tmp_path, "model_c")
    with pytest.raises(ModelConfigError, match="belongs to the model folder 'model_a', but it is "
                                               "in 'model_c'.*new-model NAME --from model_a"):
        load_model_config(folder)


def test_two_folders_registering_the_same_model_name_are_refused(tmp_path):
    copy_model_a(tmp_path, "model_a")
    copy = copy_model_a(tmp_path, "model_c")
    edit_config(copy, lambda raw: raw["model"].update(folder="model_c"))
    with pytest.raises(ModelConfigError, match="model_c and model_a both register the model "
                                               "'model_a'.*own model.name"):
        check_unique_names(load_model_config(copy))


def test_two_folders_sharing_a_dataset_name_are_refused(tmp_path):
    copy_model_a(tmp_path, "model_a")
    copy = copy_model_a(tmp_path, "model_c")
    edit_config(copy, lambda raw: raw["model"].update(name="model_c", folder="model_c"))
    with pytest.raises(ModelConfigError, match="both use the dataset name.*"
                                               "regression-diabetes-testing-01, "
                                               "regression-diabetes-training-01"):
        check_unique_names(load_model_config(copy))


def test_a_folder_renamed_throughout_is_accepted_beside_a_broken_one(tmp_path):
    copy_model_a(tmp_path, "model_a")
    copy = copy_model_a(tmp_path, "model_c")
    edit_config(copy, lambda raw: rename_throughout(raw, "model_c"))
    copy_model_a(tmp_path, "model_d")  # not renamed: its own runs report that, not model_c's
    config = load_model_config(copy)
    check_unique_names(config)
    assert config.dataset("training").name == "regression-modelc-training-01"


@pytest.mark.parametrize("rule, new, champion, better", [
    (EvaluationRule("rmse", False), 4.9, 5.0, True),
    (EvaluationRule("rmse", False), 5.0, 5.0, False),
    (EvaluationRule("rmse", False, 0.5), 4.6, 5.0, False),
    (EvaluationRule("rmse", False, 0.5), 4.4, 5.0, True),
    (EvaluationRule("r2", True), 0.6, 0.5, True),
    (EvaluationRule("r2", True), 0.4, 0.5, False),
])
def test_the_rule_needs_more_than_the_minimum_improvement(rule, new, champion, better):
    assert rule.is_better(new, champion) is better
