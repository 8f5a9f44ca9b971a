"""The Azure ML (SDK v1) side of the core: the workspace, dataset registration, and what a
step needs while it runs in Azure ML (its runtime and registry). The pipeline itself is built
and submitted by a wing, shared_code/aml_sdk_v1.

Nothing on the local path imports this package: azureml takes about a second to import,
so callers import these modules inside the functions that need Azure.
"""
