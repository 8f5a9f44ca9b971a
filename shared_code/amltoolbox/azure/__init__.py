"""The Azure ML (SDK v1) side of the core: the workspace, and a step's runtime and registry
in Azure ML (the pipeline is the wing shared_code/aml_sdk_v1's). azureml takes about a second
to import: nothing on the local path imports this package."""
