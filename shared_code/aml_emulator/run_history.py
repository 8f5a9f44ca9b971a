"""The run history service, emulated: runs, their details, tags, properties, metrics, errors.

A run record (store.RUNS) is written by the runner when it starts a pipeline or a step
(the execution service's part) and changed by the step's own SDK calls, answered here.
"""
from .http_transport import EmulatedRequest, EmulatedResponse
from .store import RUNS, EmulatedStore, utc_now

STEP_RUN_TYPE = "azureml.StepRun"
PIPELINE_RUN_TYPE = "azureml.PipelineRun"
ERROR_EVENT = "Microsoft.MachineLearning.Run.Error"
_MECHANISMS = {"direct": "Direct", "mount": "Mount", "download": "Download"}


def not_found(kind: str, key: str) -> EmulatedResponse:
    """The service's 404 with its error shape."""
    return EmulatedResponse(404, {"error": {"code": "UserError",
                                            "message": f"{kind} {key} not found",
                                            "innerError": {"code": "NotFoundError"}}})


def new_run(store: EmulatedStore, run_id: str, experiment: dict, name: str, run_type: str,
            parent_run_id: str | None = None, properties: dict | None = None) -> dict:
    """Create a run record, Running from now on (the execution service starts it)."""
    parent = store.read(RUNS, parent_run_id) if parent_run_id else None
    now = utc_now()
    return store.write(RUNS, run_id, {
        "run_id": run_id, "parent_run_id": parent_run_id,
        "root_run_id": parent["root_run_id"] if parent else run_id,
        "experiment_name": experiment["name"], "experiment_id": experiment["id"],
        "name": name, "run_type": run_type, "status": "Running", "created_utc": now,
        "start_time_utc": now, "end_time_utc": None, "properties": dict(properties or {}),
        "tags": {}, "metrics": [], "error": None, "input_datasets": [],
        "output_datasets": [], "run_number": len(store.records(RUNS)) + 1})


def end_run(store: EmulatedStore, run_id: str, status: str) -> dict:
    """End a run with `status` (Completed, Failed), as the execution service does."""
    def change(record):
        record["status"], record["end_time_utc"] = status, utc_now()
    return store.update(RUNS, run_id, change)


def run_json(record: dict) -> dict:
    """A run as the service returns it (RunDto)."""
    return {"runId": record["run_id"], "parentRunId": record["parent_run_id"],
            "rootRunId": record["root_run_id"], "experimentId": record["experiment_id"],
            "runNumber": record["run_number"], "status": record["status"],
            "createdUtc": record["created_utc"], "startTimeUtc": record["start_time_utc"],
            "endTimeUtc": record["end_time_utc"], "name": record["name"],
            "displayName": record["name"], "runType": record["run_type"],
            "dataContainerId": f"dcid.{record['run_id']}", "target": "emulated-compute",
            "properties": record["properties"], "tags": record["tags"],
            "error": _error_json(record), "heartbeatEnabled": False,
            "createdBy": {"userName": "azureml-emulator", "userObjectId": None}}


def _error_json(record: dict) -> dict | None:
    error = record.get("error")
    return {"error": {"code": "UserError", "message": error}} if error else None


def _lineage_json(item: dict) -> dict:
    return {"identifier": {"savedId": item["saved_id"], "registeredId": item.get("registered_id"),
                           "registeredVersion": item.get("registered_version")},
            "consumptionType": "RunInput",
            "inputDetails": {"inputName": item["input_name"],
                             "mechanism": _MECHANISMS.get(item["mode"], item["mode"]),
                             "pathOnCompute": item.get("path_on_compute")}}


def details_json(record: dict) -> dict:
    """A run's details (RunDetailsDto): status, properties and the datasets it read."""
    return {"runId": record["run_id"], "target": "emulated-compute", "status": record["status"],
            "startTimeUtc": record["start_time_utc"], "endTimeUtc": record["end_time_utc"],
            "properties": record["properties"], "tags": record["tags"],
            "error": _error_json(record), "logFiles": {}, "runDefinition": {},
            "inputDatasets": [_lineage_json(item) for item in record["input_datasets"]],
            "outputDatasets": []}


def get_run(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """GET a run."""
    record = store.read(RUNS, request.params["runId"])
    return EmulatedResponse(body=run_json(record)) if record else not_found("run",
                                                                           request.params["runId"])


def get_details(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """GET a run's details."""
    record = store.read(RUNS, request.params["runId"])
    return EmulatedResponse(body=details_json(record)) if record else not_found(
        "run", request.params["runId"])


def patch_run(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """PATCH a run: tags are set, properties added (a property once set never changes)."""
    body = request.json() or {}

    def change(record):
        record["tags"].update(body.get("tags") or {})
        for key, value in (body.get("properties") or {}).items():
            record["properties"].setdefault(key, value)
    return EmulatedResponse(body=run_json(store.update(RUNS, request.params["runId"], change)))


def post_event(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """POST a run event: an error event (run.fail) records the error on the run."""
    event = request.json() or {}
    if event.get("name") == ERROR_EVENT:
        data = event.get("data") or {}
        error = (data.get("ErrorResponse") or data.get("errorResponse") or {}).get("error") or {}
        message = error.get("message") or str(data)

        def change(record):
            record["error"] = message
        store.update(RUNS, request.params["runId"], change)
    return EmulatedResponse(200, None)


def post_metrics(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """POST a batch of metrics (BatchMetricV2Dto): each value is kept, in order, under its
    name; an image's value is the path of its artifact."""
    logged = []
    for metric in (request.json() or {}).get("values", []):
        for value in metric.get("value", []):
            data = value.get("data") or {}
            logged.append({"name": metric["name"], "value": data.get(metric["name"], data),
                           "type": (metric.get("properties") or {}).get("uxMetricType"),
                           "logged": value.get("createdUtc")})

    def change(record):
        record["metrics"].extend(logged)
    store.update(RUNS, request.params["runId"], change)
    return EmulatedResponse(200, {"errors": []})


def metrics_ingested(_store: EmulatedStore, _request: EmulatedRequest) -> EmulatedResponse:
    """Wait until the run's metrics are stored: they are, once posted."""
    return EmulatedResponse(200, {})
