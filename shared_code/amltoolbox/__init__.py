"""The AML glue every model reuses: the run context, the pipeline as data, the local
workspace (datasets, runs, model registry), evaluation and registration."""
