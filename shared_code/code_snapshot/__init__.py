"""The code a model's steps take to Azure ML: the shared code its scripts import, read from
the source (import_graph), and the snapshot staged from it for each model (model_snapshot),
uploaded by the SDK v1 pipeline and the SDK v2 jobs alike; it imports no SDK."""
