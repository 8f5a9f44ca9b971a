"""What every model's entry script needs to be served, locally and in Azure ML: init() calls
init_served_model(__file__), run() is decorated with scoring_run(...); both optional, since
`serve` and `deploy` run any entry script behind server_entry_script.py, which installs the
protections (the body limit, the 400 for an undecodable body) from the folder's settings.
"""
