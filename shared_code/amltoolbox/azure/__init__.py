"""The Azure ML (SDK v1) side of the toolbox: the workspace, the pipeline built from a
model's step list, its submission and publication, and dataset registration.

Nothing on the local path imports this package: azureml takes about a second to import,
so callers import these modules inside the functions that need Azure.
"""
