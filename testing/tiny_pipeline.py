"""A tiny model whose steps take milliseconds, for the tests of --explain and replay
(testing/shared_code/amltoolbox/local/): produce reads a File dataset and writes `out`; consume
reads it and writes `score`; seen writes which champion the registry gives it."""
from shared_code.amltoolbox.pipeline import Step, output_of, registered

DATA = "files-tiny-explain-01"
SCRIPTS = {
    "produce.py": """
        from pathlib import Path
        from shared_code.amltoolbox.run_context import get_run_context
        run = get_run_context()
        text = (Path(run.input_datasets["data"]) / "data.txt").read_text()
        (Path(run.output_datasets["out"]) / "result.txt").write_text(text.upper())
    """,
    "seen.py": """
        import os
        from pathlib import Path
        from shared_code.amltoolbox.run_context import get_registry, get_run_context
        run = get_run_context()
        champion = get_registry().find_champion("model_t")
        seen = Path(run.output_datasets["seen"])
        (seen / "champion.txt").write_text(champion.id if champion else "none")
        (seen / "pid.txt").write_text(str(os.getpid()))
    """,
    "consume.py": """
        from pathlib import Path
        from shared_code.amltoolbox.run_context import get_run_context
        run = get_run_context()
        text = (Path(run.input_datasets["out"]) / "result.txt").read_text()
        (Path(run.output_datasets["score"]) / "score.txt").write_text(text + "!")
    """,
}
PRODUCE = Step("produce", "produce.py", inputs={"data": registered(DATA)}, outputs=["out"])
CONSUME = Step("consume", "consume.py", inputs={"out": output_of("produce", "out")},
               outputs=["score"])
SEEN = Step("seen", "seen.py", inputs={"out": output_of("produce", "out")}, outputs=["seen"],
            compares_with_champion=True)
