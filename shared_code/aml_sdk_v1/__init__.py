"""The Azure ML SDK v1 pipeline target, beside the core toolbox: a model's step list built as
an Azure ML pipeline (pipeline_builder), submitted or published (pipeline_submission), with
Azure ML's step reuse predicted offline (reuse_prediction, submission_records).

The core reaches it only through its targets table (`--submit`, `--publish`), loaded when
chosen; the emulator, batch scoring and drift build their pipelines with it. What a step
needs while it runs in Azure ML (its run context, registry, datasets, workspace) stays in
the core's azure/. azureml takes about a second to import: nothing on the local path
imports this package.
"""
