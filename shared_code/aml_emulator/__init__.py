"""An emulator of Azure ML's job runtime (SDK v1): a model's real built Pipeline, run here.

Each PythonScriptStep runs in its own process, as a job on a compute node: in a copy of
its snapshot, with its arguments and its run configuration's environment, with the
variables from which `azureml.core.Run.get_context()` returns a real `_SubmittedRun`,
and with its inputs and outputs delivered through the variables the SDK reads, in
folders outside the working directory. The SDK runs for real down to each HTTP request;
the requests are answered by an emulated service that keeps its state (runs, datasets,
registered models and their files) in a folder, so a second run sees the first run's
model. Every stand-in for the service is listed in service_standins.py.
"""
import os

# The SDK sends usage telemetry to Application Insights unless the workspace is a
# high-business-impact one; it reads this when azureml is first imported, which in the
# emulator's processes is after this. The emulator reaches no network, telemetry included.
os.environ.setdefault("HBI_WORKSPACE_JOB", "true")
