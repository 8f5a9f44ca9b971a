"""Fixtures for the Azure ML tests: an offline workspace, model_a's pipeline, no network."""
from azureml_fixtures import (fixture_model_a, fixture_workspace, local_workspace_of_the_test,
                              no_network)

__all__ = ["fixture_model_a", "fixture_workspace", "local_workspace_of_the_test", "no_network"]
