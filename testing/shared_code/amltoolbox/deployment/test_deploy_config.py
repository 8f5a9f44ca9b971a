"""Deployment configs read through the Azure ML SDK's own parser, unknown keys refused."""
import copy

import pytest
import yaml

from shared_code.amltoolbox.deployment.deploy_config import (deployment_config_path,
                                                             load_deployment_config,
                                                             parse_deployment_config,
                                                             read_deployment_config, unknown_keys)
from shared_code.amltoolbox.deployment.errors import DeploymentConfigError

ACI = {"computeType": "ACI", "containerResourceRequirements": {"cpu": 0.5, "memoryInGB": 1},
       "authEnabled": True, "appInsightsEnabled": True}
AKS = {"computeType": "AKS", "computeTargetName": "aks-inference",
       "containerResourceRequirements": {"cpu": 1, "memoryInGB": 2},
       "autoScaler": {"autoscaleEnabled": True, "minReplicas": 2, "maxReplicas": 4},
       "authEnabled": True, "appInsightsEnabled": True}


def test_the_sdk_reads_every_key_of_a_correct_config():
    assert not unknown_keys(ACI)
    assert not unknown_keys(AKS)


@pytest.mark.parametrize("base, misspelt, where", [
    (ACI, "authEnabeld", "authEnabled"),
    (AKS, "authenabled", "authEnabled"),
    (AKS, "maxReplica", "autoScaler.maxReplicas"),
    (ACI, "memoryGB", "containerResourceRequirements.memoryInGB"),
])
def test_a_misspelt_key_is_found_even_though_the_sdk_ignores_it(base, misspelt, where):
    raw = copy.deepcopy(base)
    *parents, key = where.split(".")
    mapping = raw
    for parent in parents:
        mapping = mapping[parent]
    mapping[misspelt] = mapping.pop(key)
    expected = ".".join([*parents, misspelt])
    assert unknown_keys(raw) == [expected]
    with pytest.raises(DeploymentConfigError, match=f"does not read {expected} .*ignore"):
        parse_deployment_config(raw, "deployment_config_test.yml")


def test_a_key_of_another_compute_type_is_unknown_to_it():
    # autoScaler is an AKS setting; the ACI parser never reads it.
    raw = {**ACI, "autoScaler": {"autoscaleEnabled": True, "minReplicas": 2}}
    assert unknown_keys(raw) == ["autoScaler"]


@pytest.mark.parametrize("raw, message", [
    ({"containerResourceRequirements": {"cpu": 1}}, "Need to specify computeType"),
    ({"computeType": "GPU-farm"}, "unknown deployment type"),
    ({**ACI, "containerResourceRequirements": {"cpu": -1}}, "cpu_cores must be positive"),
    ({**AKS, "numReplicas": 3}, "autoscale enabled and num_replicas"),
    ({**AKS, "tokenAuthEnabled": True}, "cannot both be true"),
])
def test_what_the_sdk_refuses_is_refused_with_its_reason(raw, message):
    with pytest.raises(DeploymentConfigError, match=f"x.yml: the Azure ML SDK refuses it: "
                                                    f".*{message}"):
        parse_deployment_config(raw, "x.yml")


def test_the_parsed_config_carries_the_tags_and_description():
    config = parse_deployment_config(AKS, tags={"model": "model_a"}, description="a model")
    assert (config.tags, config.description) == ({"model": "model_a"}, "a model")
    assert (config.autoscale_min_replicas, config.compute_target_name) == (2, "aks-inference")


def test_a_config_is_loaded_from_the_model_folders_config(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "deployment_config_dev.yml").write_text(yaml.safe_dump(ACI),
                                                                   encoding="utf-8")
    assert load_deployment_config(tmp_path, "dev").cpu_cores == 0.5


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    ("computeType: [ACI", "is not valid YAML"),
    ("- ACI\n", "must be a mapping"),
])
def test_an_unreadable_file_says_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "deployment_config_dev.yml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DeploymentConfigError, match=message):
        read_deployment_config(path)


def test_only_dev_and_prd_have_deployment_configs(tmp_path):
    assert deployment_config_path(tmp_path, "prd").name == "deployment_config_prd.yml"
    with pytest.raises(DeploymentConfigError, match="use one of dev, prd"):
        deployment_config_path(tmp_path, "staging")
