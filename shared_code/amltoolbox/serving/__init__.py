"""What every model's entry script needs to be served, locally and in Azure ML.

model_loading: find the model under AZUREML_MODEL_DIR and check its sha256 against the
registry's record. validation and responses: reject a bad request with a 4xx and a JSON
message. request_limits: refuse a body over the model's limit (413) before it is read.
schema: record run()'s /swagger.json schema without wrapping it. tabular_records: turn
table rows into the model's feature matrix, strictly.
local_server: serve a registered model with azmlinfsrv on loopback. smoke_test: post a
model's testing samples to a running service and check the answers.
"""
