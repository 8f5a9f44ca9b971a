"""config/model_config.yml: read, checked, and kept apart from other model folders."""
import re
import shutil

import pytest
import yaml

from shared_code.amltoolbox.model_config import (MODELS_TAG, USAGE_TAG, EvaluationRule,
                                                 ModelConfigError, ModelIdentity,
                                                 check_unique_names, load_model_config,
                                                 models_using, tags_with_model)
from shared_code.amltoolbox.naming import NamingError
from shared_code.amltoolbox.paths import REPO_ROOT

MODEL_CONFIG_FILE = "config/model_config.yml"
REGISTER_SCRIPT = "script_steps/register.py"

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


def set_model_name(folder, name: str) -> None:
    """Edit MODEL_NAME in the folder's register.py, as a user would."""
    path = folder / REGISTER_SCRIPT
    path.write_text(re.sub(r'^MODEL_NAME = "[^"]*"', f'MODEL_NAME = "{name}"',
                           path.read_text(encoding="utf-8"), flags=re.MULTILINE),
                    encoding="utf-8")


def rename_throughout(folder, name: str) -> None:
    """What a user renaming a copied folder must change."""
    def edit(raw):
        raw["model"].update(folder=name)
        for spec in raw["datasets"].values():
            spec["name"] = spec["name"].replace("diabetes", name.replace("_", ""))
    edit_config(folder, edit)
    set_model_name(folder, name)


def test_model_a_config_is_read_whole():
    config = load_model_config(MODEL_A)
    assert (config.folder, config.model_name) == (MODEL_A, "model_a")
    assert config.dataset("training").name == "regression-diabetes-training-01"
    assert config.dataset("testing").type == "tabular"
    assert config.evaluation == EvaluationRule("rmse", False, 0.0, 1.0)
    assert "target" in config.training and config.tags["modeltype"] == "regression"
    assert config.description.startswith("XGBoost regressor predicting diabetes")
    assert config.dataset("training").tags[USAGE_TAG] == "training"
    assert config.dataset("testing").tags[MODELS_TAG] == "model_a"
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
    "model", "model.folder", "azureml", "azureml.compute_target",
    "evaluation", "evaluation.primary_metric", "datasets", "datasets.training.name",
    "datasets.training.type", "datasets.training.path", "datasets.training.description",
    "datasets.testing.description.contacts", "datasets.training.description.data_source"])
def test_a_missing_key_is_named_with_the_file_and_an_example(tmp_path, key):
    folder = copy_model_a(tmp_path, "model_a")
    edit_config(folder, _delete(key))
    with pytest.raises(ModelConfigError, match=rf"model_config.yml: '{key}' is missing; add it "
                                               r"\(see model_a"):
        load_model_config(folder)


def test_the_registered_identity_is_read_from_register_py_without_running_it(tmp_path):
    folder = copy_model_a(tmp_path, "model_a")
    (folder / REGISTER_SCRIPT).write_text(
        'raise SystemExit("never run")\nMODEL_NAME = "diabetes-progression"\n'
        'MODEL_DESCRIPTION = ("two "\n    "lines")\nMODEL_TAGS = {"a": 1}\n', encoding="utf-8")
    assert load_model_config(folder).identity == ModelIdentity(
        "diabetes-progression", "two lines", {"a": "1"})


def test_the_model_name_defaults_to_the_folder_name(tmp_path):
    folder = copy_model_a(tmp_path, "model_a")
    (folder / REGISTER_SCRIPT).write_text("def main():\n    pass\n", encoding="utf-8")
    assert load_model_config(folder).model_name == "model_a"


@pytest.mark.parametrize("text, message", [
    ('MODEL_NAME = "model_" + "a"\n', r"register.py:1: MODEL_NAME must be a plain literal"),
    ("MODEL_TAGS = ['a']\n", "MODEL_TAGS must be a dict"),
    ("def main(:\n", "is not valid Python"),
])
def test_an_identity_that_cannot_be_read_says_what_to_write(tmp_path, text, message):
    folder = copy_model_a(tmp_path, "model_a")
    (folder / REGISTER_SCRIPT).write_text(text, encoding="utf-8")
    with pytest.raises(ModelConfigError, match=message):
        load_model_config(folder)


def test_a_folder_without_register_py_yet_is_named_after_itself(tmp_path):
    folder = copy_model_a(tmp_path, "model_a")
    (folder / REGISTER_SCRIPT).unlink()
    assert load_model_config(folder).identity == ModelIdentity("model_a")


@pytest.mark.parametrize("edit, error, message", [
    (lambda raw: raw["datasets"]["training"].update(type="images"), ModelConfigError,
     r"datasets.training.type is 'images'; use one of"),
    (lambda raw: raw["datasets"]["training"].update(name="diabetes_training"), NamingError,
     "modeltype-project-usage-version"),
])
def test_bad_values_are_refused(tmp_path, edit, error, message):
    folder = copy_model_a(tmp_path, "model_a")
    edit_config(folder, edit)
    with pytest.raises(error, match=message):
        load_model_config(folder)


def test_a_model_name_azure_ml_refuses_is_refused(tmp_path):
    folder = copy_model_a(tmp_path, "model_a")
    set_model_name(folder, "model a")
    with pytest.raises(NamingError, match="not valid in Azure ML"):
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
                                               "'model_a'.*own MODEL_NAME in .*register.py"):
        check_unique_names(load_model_config(copy))


def test_a_folder_registering_under_its_folders_name_by_default_is_seen(tmp_path):
    other = copy_model_a(tmp_path, "model_d")
    rename_throughout(other, "model_d")
    register = other / REGISTER_SCRIPT
    register.write_text(re.sub(r"^MODEL_NAME = .*$", "", register.read_text(encoding="utf-8"),
                               flags=re.MULTILINE), encoding="utf-8")
    assert "model_d" not in register.read_text(encoding="utf-8")
    assert load_model_config(other).model_name == "model_d"  # MODEL_NAME's default
    copy = copy_model_a(tmp_path, "model_c")
    rename_throughout(copy, "model_c")
    set_model_name(copy, "model_d")
    with pytest.raises(ModelConfigError, match="model_c and model_d both register the model "
                                               "'model_d'"):
        check_unique_names(load_model_config(copy))


def test_two_folders_may_share_dataset_names(tmp_path):
    copy_model_a(tmp_path, "model_a")
    copy = copy_model_a(tmp_path, "model_c")
    edit_config(copy, lambda raw: raw["model"].update(folder="model_c"))
    set_model_name(copy, "model_c")
    config = load_model_config(copy)
    check_unique_names(config)  # datasets are shared by name; the registered model is not
    assert config.dataset("training").name == "regression-diabetes-training-01"
    assert config.dataset("training").tags[MODELS_TAG] == "model_c"


@pytest.mark.parametrize("tags, model, expected", [
    ({}, "model_a", "model_a"),
    ({MODELS_TAG: "model_a"}, "model_a", "model_a"),
    ({MODELS_TAG: "model_a"}, "canal-level-forecasting", "model_a, canal-level-forecasting"),
    ({MODELS_TAG: "model_a, model_b", USAGE_TAG: "training"}, "model_b", "model_a, model_b")])
def test_a_datasets_models_tag_lists_each_model_once(tags, model, expected):
    tagged = tags_with_model(tags, model)
    assert tagged[MODELS_TAG] == expected
    assert models_using(tagged) == expected.split(", ")
    assert {k: v for k, v in tagged.items() if k != MODELS_TAG} == \
        {k: v for k, v in tags.items() if k != MODELS_TAG}


def test_a_folder_renamed_throughout_is_accepted_beside_a_broken_one(tmp_path):
    copy_model_a(tmp_path, "model_a")
    copy = copy_model_a(tmp_path, "model_c")
    rename_throughout(copy, "model_c")
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
