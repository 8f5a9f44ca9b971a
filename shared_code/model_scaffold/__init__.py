"""New-model scaffolding, beside the core toolbox: `new-model NAME --from MODEL` copies a
model folder and its testing samples under a new name; the core's command line loads
command.py by name when `new-model` runs."""
