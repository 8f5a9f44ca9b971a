"""The studio: a read-only web page over the local workspace (runs, metrics, plots, models,
datasets), as Azure ML studio shows them; `python -m shared_code.amltoolbox studio`."""
