"""The drift: section of model_config.yml: optional, checked, with defaults."""
import shutil

import pytest
import yaml

from tested_models import model_folders_under_test
from shared_code.amltoolbox.model_config import ModelConfigError, load_model_config
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.model_monitoring.drift_config import (DriftConfigError, DriftThresholds,
                                                       drift_thresholds)


def test_without_a_section_the_defaults_hold():
    assert drift_thresholds(None) == drift_thresholds({}) == DriftThresholds()


def test_a_setting_replaces_its_default_alone():
    thresholds = drift_thresholds({"psi": 0.1, "ks_pvalue": 0})
    assert (thresholds.psi, thresholds.ks_pvalue) == (0.1, 0.0)
    assert thresholds.missing_rate == DriftThresholds().missing_rate


@pytest.mark.parametrize("section,message", [({"psy": 0.2}, "drift.psy is not a drift setting"),
                                             ({"psi": "high"}, "drift.psi is 'high'"),
                                             ({"psi": -1}, "drift.psi is -1"),
                                             ({"psi": True}, "drift.psi is True")])
def test_a_wrong_setting_says_which_and_what_to_give(section, message):
    with pytest.raises(DriftConfigError, match=message):
        drift_thresholds(section, "model_config.yml")


@pytest.mark.parametrize("folder", model_folders_under_test(), ids=lambda folder: folder.name)
def test_each_models_config_loads_with_its_drift_section(folder):
    config = load_model_config(folder)
    assert drift_thresholds(config.drift) == DriftThresholds()  # the defaults, written out


def test_a_drift_section_that_is_not_a_mapping_is_refused(tmp_path):
    copy = tmp_path / "model_a"
    shutil.copytree(REPO_ROOT / "model_a", copy, ignore=shutil.ignore_patterns("data"))
    config = copy / "config" / "model_config.yml"
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    config.write_text(yaml.safe_dump({**raw, "drift": 0.2}), encoding="utf-8")
    with pytest.raises(ModelConfigError, match="'drift' must be a mapping"):
        load_model_config(copy)
