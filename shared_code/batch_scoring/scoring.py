"""Score a batch: worker processes each run the entry script's init() once, then run() on
the chunks the main process hands them (a CSV file's as byte ranges each worker reads
itself, csv_ranges.py); a worker formats its chunk's answers as the output's CSV lines (the
main process does, when it has a core of its own), and the main process writes them in
input order as they come back. A folder of images is hashed from the bytes the workers read
(each file read once), in the order the folder is walked.

At most two chunks per worker are in flight, so memory depends on the chunk size and the
number of workers, never on the input's size. Workers are started with 'spawn' (a fresh
interpreter, as a ParallelRunStep or a server worker gets): nothing of the main process,
its open workspace index included, is shared with them.
"""
import base64
import hashlib
import multiprocessing
import os
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.hashing import TreeDigest
from shared_code.amltoolbox.serving.request_log import REQUEST_LOG_ENV_VAR

from .entry_script_adapter import ChunkOutcome, load_entry_script, score_items
from .freed_memory import keep_freed_memory
from .inputs import TABULAR, BatchInput, Chunk, InputError, table_frame
from .outputs import AnswerWriter, RejectsWriter, csv_lines, rejects_path
from .progress_line import BatchProgress

CHUNKS_PER_WORKER_IN_FLIGHT = 2
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class TooManyRejectsError(UserError):
    """More rows were rejected than --max-rejects allows."""


@dataclass(frozen=True)
class BatchPlan:  # pylint: disable=too-many-instance-attributes  # one field per option
    """What to score with what, where the answers go, and how."""
    entry_script: Path
    environment: dict
    batch_input: BatchInput
    output: Path
    workers: int
    chunk_rows: int
    max_rejects: int | None = None


@dataclass
class BatchSummary:
    """How a batch went."""
    scored: int = 0
    rejected: int = 0
    seconds: float = 0.0
    input_sha256: str | None = None  # a folder's, made from the files read (Chunk.hashed)

    @property
    def per_second(self) -> float:
        """Items (scored or rejected) per second."""
        return (self.scored + self.rejected) / self.seconds if self.seconds else 0.0


# The worker side: one entry script per process, loaded by the pool's initializer.
_worker: dict = {}


def start_worker(entry_script: str, environment: dict, repo_root: str) -> None:
    """Set the deployment's variables and call the entry script's init(), once per worker.
    A failure is kept and raised by the worker's first chunk, where the main process sees it
    (a failing pool initializer would only say that a process died)."""
    # Workers are the parallelism: one thread each for the numeric libraries (XGBoost's
    # OpenMP, BLAS), else N workers each start a thread per core and spin against each other.
    _worker.clear()
    for variable in THREAD_VARIABLES:
        os.environ.setdefault(variable, "1")
    # A batch's rows are not requests an endpoint saw (serve --log-requests, drift --requests).
    os.environ.pop(REQUEST_LOG_ENV_VAR, None)
    os.environ.update(environment)
    if repo_root not in sys.path:  # the entry script imports shared_code and its model
        sys.path.insert(0, repo_root)
    try:
        _worker["entry"] = load_entry_script(Path(entry_script))
    except UserError as error:
        _worker["error"] = error


def worker_failure() -> UserError | None:
    """Why this worker's entry script could not start, if it could not."""
    return _worker.get("error")


def score_chunk(kind: str, payload) -> ChunkOutcome:
    """One chunk through the worker's entry script (positions are the chunk's)."""
    if "error" in _worker:
        raise _worker["error"]
    if kind == TABULAR:
        return score_items(_worker["entry"].run, table_frame(payload))
    return score_files(_worker["entry"].run, payload)


def score_chunk_as_csv(kind: str, payload, keys) -> ChunkOutcome:
    """score_chunk(), its answers formatted here as the output's CSV lines: the work is
    spread over the workers rather than left to the main process."""
    outcome = score_chunk(kind, payload)
    if len(outcome.scored) == len(keys):  # all of them: sent back as a range, not a list
        scored, outcome.scored = keys, range(len(keys))
    else:
        scored = [keys[p] for p in outcome.scored]
    outcome.csv_text = csv_lines(scored, outcome.columns)
    outcome.columns = dict.fromkeys(outcome.columns, ())  # the names are enough now
    return outcome


def score_files(run, paths: list[str]) -> ChunkOutcome:
    """Image files as an online request's items, {"image": "<base64>"}; an unreadable file
    is rejected without being sent."""
    from shared_code.image_utils.image_requests import IMAGE_KEY
    items, readable, unreadable = [], [], []
    hashes = [None] * len(paths)  # the input's hash is made of them (Chunk.hashed)
    for position, path in enumerate(paths):
        try:
            data = _file_bytes(path)
        except OSError as error:
            unreadable.append((position, f"cannot read the file: {error.strerror}"))
            continue
        hashes[position] = hashlib.sha256(data).hexdigest()
        items.append({IMAGE_KEY: base64.b64encode(data).decode("ascii")})
        readable.append(position)
    outcome = score_items(run, items)
    outcome.scored = [readable[p] for p in outcome.scored]
    outcome.rejects = sorted([(readable[p], m) for p, m in outcome.rejects] + unreadable)
    outcome.file_sha256 = hashes
    return outcome


def _file_bytes(path: str) -> bytes:
    # Unbuffered, as one read of the size the file has: half the time of Path.read_bytes()
    # for a small image.
    with open(path, "rb", buffering=0) as handle:
        return handle.read()


def score_batch(plan: BatchPlan, stream=None, summary: BatchSummary | None = None
                ) -> BatchSummary:
    """Score the plan's input into its output; the summary of what was done (counted into
    `summary` when given, so that a caller knows what was done before a failure).

    Raises InputError (nothing written) for an input whose first chunk the model rejects
    whole, TooManyRejectsError past --max-rejects (the rejects so far written, no output).
    """
    started = time.monotonic()
    # This process scans the input and takes the answers, a few large blocks a chunk (the
    # workers, measured, gain nothing from it).
    keep_freed_memory()
    summary = summary if summary is not None else BatchSummary()
    answers = AnswerWriter(plan.output, plan.batch_input.key)
    rejects = RejectsWriter(rejects_path(plan.output), plan.batch_input.key)
    unit = plan.batch_input.unit
    pool = ProcessPoolExecutor(plan.workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker,
                               initargs=(str(plan.entry_script), plan.environment,
                                         str(_repo_root())))
    # A 'spawn' pool starts a worker when a task finds none idle (Python 3.11
    # concurrent/futures/process.py:754-767, 807): one task per worker starts them
    # all now, each init() beside the others, rather than the second one when a second
    # chunk is read, while the first already scores.
    for _ in range(plan.workers):
        pool.submit(worker_failure)
    outcome = "failed"
    digest = TreeDigest() if plan.batch_input.hashed_while_read else None
    # Workers format their chunks' CSV lines when they hold every core; with a core to spare,
    # this process formats them there, beside the workers' scoring.
    workers_format = answers.is_csv and plan.workers >= (os.cpu_count() or 1)
    try:
        with BatchProgress(f"scoring {plan.batch_input.label}", unit, stream) as progress:
            pending = deque()
            for chunk in plan.batch_input.chunks(plan.chunk_rows):
                work = ((score_chunk_as_csv, plan.batch_input.kind, chunk.payload, chunk.keys)
                        if workers_format else (score_chunk, plan.batch_input.kind, chunk.payload))
                pending.append((chunk, pool.submit(*work)))
                while len(pending) >= CHUNKS_PER_WORKER_IN_FLIGHT * plan.workers:
                    digest = _hashed(digest, *_collect(pending.popleft(), answers, rejects,
                                                       summary, progress, plan))
            while pending:
                digest = _hashed(digest, *_collect(pending.popleft(), answers, rejects,
                                                   summary, progress, plan))
        outcome = "scored"
        if digest is not None:
            summary.input_sha256 = digest.hexdigest()
    except TooManyRejectsError:
        outcome = "too many rejects"
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        answers.close(keep=outcome == "scored")
        rejects.close(keep=outcome != "failed")
        summary.seconds = time.monotonic() - started
    return summary


def _collect(entry, answers: AnswerWriter, rejects: RejectsWriter, summary: BatchSummary,
             progress: BatchProgress, plan: BatchPlan) -> tuple[Chunk, ChunkOutcome]:
    """Write a chunk's answers and rejects, and count them; the chunk and its outcome."""
    chunk, future = entry
    keys = chunk.keys
    outcome = future.result()
    if not outcome.scored and not summary.scored and not summary.rejected:
        position, message = outcome.rejects[0]
        raise InputError(f"{plan.batch_input.label}: the model rejected every one of the first "
                         f"{len(keys):,} {plan.batch_input.key}s, so this is not an input it "
                         f"takes (the first, {keys[position]}: {message}). Check the columns "
                         "or files against the model's requests; nothing written")
    if outcome.csv_text is None:
        answers.write(keys if len(outcome.scored) == len(keys)
                      else [keys[p] for p in outcome.scored], outcome.columns)
    else:
        answers.write_csv_text(list(outcome.columns), outcome.csv_text, len(outcome.scored))
    rejects.write([(keys[p], message) for p, message in outcome.rejects])
    summary.scored += len(outcome.scored)
    summary.rejected += len(outcome.rejects)
    progress.read_fraction = chunk.read_fraction
    progress.advance(len(keys))
    if plan.max_rejects is not None and summary.rejected > plan.max_rejects:
        raise TooManyRejectsError(
            f"{summary.rejected:,} {plan.batch_input.key}s rejected, more than --max-rejects "
            f"{plan.max_rejects:,}: stopped, no output written; the rejects so far are in "
            f"{rejects.path}. Fix the input, or allow more with --max-rejects")
    return chunk, outcome


def _hashed(digest: TreeDigest | None, chunk: Chunk, outcome: ChunkOutcome
            ) -> TreeDigest | None:
    """The input's hash with the chunk's files added (Chunk.hashed); None once a file could
    not be read, as nothing then says what it held."""
    for relative, sha256 in chunk.hashed if digest is not None else ():
        sha256 = outcome.file_sha256[sha256] if isinstance(sha256, int) else sha256
        if sha256 is None:
            return None
        digest.add(relative, sha256)
    return digest


def _repo_root() -> Path:
    from shared_code.amltoolbox.paths import REPO_ROOT
    return REPO_ROOT
