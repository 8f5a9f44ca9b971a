"""A step's environment, as an Azure ML job's: the run's scope, the datasets as the SDK reads
them, the step's own variables, and nothing of the submitting shell's Azure settings."""
from shared_code.aml_emulator import identity
from shared_code.aml_emulator.job_environment import (dataset_variables,
                                                      job_environment, run_scope)


def test_inputs_and_outputs_are_listed_and_each_has_its_variables():
    variables = dataset_variables({"train_data": ("direct", "saved-id"),
                                   "model": ("download", "/job/cap/INPUT_model")},
                                  {"model_score": "/job/cap/model_score"})
    # azureml/core/run.py:2503-2518 and 2534-2540 read these
    assert variables["AZUREML_DATASET_ENVIRONMENT_VARS"] == "train_data:direct,model:download"
    assert variables["train_data"] == "saved-id" and variables["model"] == "/job/cap/INPUT_model"
    assert variables["AZUREML_DATASET_FILE_OUTPUTS"] == "model_score"
    assert variables["model_score"] == "/job/cap/model_score"
    assert variables["AZURE_ML_INPUT_model"] == variables["AZUREML_DATAREFERENCE_model"]
    assert "AZURE_ML_INPUT_train_data" not in variables  # a direct input is no path
    assert variables["AZURE_ML_OUTPUT_model_score"] == "/job/cap/model_score"


def test_a_step_without_outputs_lists_none():
    assert "AZUREML_DATASET_FILE_OUTPUTS" not in dataset_variables({}, {})


def test_the_run_scope_is_what_run_get_context_reads():
    scope = run_scope("model_a", "experiment-id", "run-1")
    # azureml/core/run.py:214-230
    for name in ("AZUREML_ARM_SUBSCRIPTION", "AZUREML_RUN_ID", "AZUREML_ARM_RESOURCEGROUP",
                 "AZUREML_ARM_WORKSPACE_NAME", "AZUREML_ARM_PROJECT_NAME", "AZUREML_RUN_TOKEN",
                 "AZUREML_SERVICE_ENDPOINT"):
        assert scope[name]
    assert scope["AZUREML_SERVICE_ENDPOINT"] == identity.SERVICE_ENDPOINT
    assert (scope["AZUREML_RUN_ID"], scope["AZUREML_ARM_PROJECT_NAME"]) == ("run-1", "model_a")


def test_the_submitters_azure_and_local_settings_do_not_reach_the_job():
    machine = {"PATH": "/bin", "HOME": "/home/me", "AZUREML_SUBSCRIPTION_ID": "mine",
               "AZURE_CLIENT_SECRET": "secret", "AML_LOCAL_STEP_SPEC": "/spec.json",
               "AML_LOCAL_WORKSPACE": "/ws", "PYTHONPATH": "/somewhere"}
    environment = job_environment({"PYTHONPATH": "."}, run_scope("e", "i", "r"), {}, machine)
    assert environment["PATH"] == "/bin" and environment["PYTHONPATH"] == "."
    assert not {"AZUREML_SUBSCRIPTION_ID", "AZURE_CLIENT_SECRET", "AML_LOCAL_STEP_SPEC",
                "AML_LOCAL_WORKSPACE"} & set(environment)


def test_azure_mls_own_variables_win_over_a_steps_variable_of_the_same_name():
    environment = job_environment({"AZUREML_RUN_ID": "mine", "EXTRA": "1"},
                                  run_scope("e", "i", "run-9"), {}, {})
    assert (environment["AZUREML_RUN_ID"], environment["EXTRA"]) == ("run-9", "1")
