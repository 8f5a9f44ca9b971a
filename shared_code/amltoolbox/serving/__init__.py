"""What every model's entry script needs to be served, locally and in Azure ML.

An entry script's init() calls script_init.init_served_model(__file__) and its run() is
decorated with scoring_run.scoring_run(...); both are optional, since whatever the script
does, `serve` and `deploy` run it behind server_entry_script.py (server_entry), which
installs the protections (protections: the body limit of request_limits, the 400 for an
undecodable body of responses) from the model folder's settings (settings).
model_loading: find the model under AZUREML_MODEL_DIR and check its sha256 against the
registry's record. validation and responses: reject a bad request with a 4xx and a JSON
message. schema: record run()'s /swagger.json schema. server_hooks: add to the server's
routes at init(). local_server: serve a registered model with azmlinfsrv on loopback.
smoke_test: post a model's testing samples to a running service and check the answers.
(A tabular model's rows become its feature matrix in tabular_utils/tabular_records.py.)
"""
