"""The local workspace: datasets, runs and the model registry in one folder."""
