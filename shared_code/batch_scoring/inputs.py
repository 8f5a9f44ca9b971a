"""What a batch scores, read a chunk at a time: CSV or Parquet files (Tabular) or a folder
of images (File), given as a path or as a registered dataset of the local workspace.

Memory holds one chunk per worker and a few more in flight, whatever the input's size:
CSV is parsed `chunk_rows` rows at a time, Parquet read by record batches, and a folder
walked one directory listing at a time.
"""
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from .csv_ranges import CsvRange, csv_ranges
from .input_errors import InputError

TABULAR, FILE = "tabular", "file"
CSV_SUFFIX, PARQUET_SUFFIX = ".csv", ".parquet"
TABLE_SUFFIXES = (CSV_SUFFIX, PARQUET_SUFFIX)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
ROW_KEY, PATH_KEY = "row", "path"


@dataclass(frozen=True)
class Chunk:
    """Items to score: a table's rows (Tabular: a CsvRange its worker reads, or a
    DataFrame) or image paths (File), with their keys (a range of row numbers, from 0 across
    the input, or paths relative to the folder) and how much of the input has been read once
    this chunk is (0-1, None when unknown)."""
    payload: object
    keys: Sequence
    read_fraction: float | None
    # A folder's files as they enter its hash (hashing.tree_sha256), in Path order, from the
    # first image of this chunk to the next chunk's: (relative path, sha256), or for an image
    # whose bytes its worker reads and hashes, (relative path, its position in the chunk).
    hashed: list = field(default_factory=list)


@dataclass(frozen=True)
class BatchInput:
    """A file, folder or registered dataset to score."""
    kind: str
    label: str
    root: Path
    files: tuple[Path, ...] = ()
    dataset: str | None = None
    content_sha256: str | None = None
    file_count: int | None = None

    @property
    def key(self) -> str:
        """The name of the column that says which row or file an answer is for."""
        return ROW_KEY if self.kind == TABULAR else PATH_KEY

    @property
    def unit(self) -> str:
        """What the input's items are called: rows or files."""
        return "rows" if self.kind == TABULAR else "files"

    @property
    def hashed_while_read(self) -> bool:
        """Whether the input's hash is made from the files the workers read (a folder of
        images not registered as a dataset), rather than known before (sha256())."""
        return self.kind == FILE and not self.content_sha256

    def chunks(self, size: int) -> Iterator[Chunk]:
        """The input, `size` items at a time."""
        if self.kind == TABULAR:
            return table_chunks(self.files, size, self.label)
        return image_chunks(self.root, size, self.label, self.file_count,
                            self.hashed_while_read)

    def sha256(self) -> str | None:
        """The input's content hash: the dataset's as registered, else its files'; None for
        a folder of images, hashed while it is scored (Chunk.hashed)."""
        if self.content_sha256 or self.hashed_while_read:
            return self.content_sha256
        from shared_code.amltoolbox.hashing import tree_sha256
        return tree_sha256(self.root)


def input_from_path(path: Path) -> BatchInput:
    """A CSV or Parquet file, a folder of them, or a folder of images."""
    path = Path(path)
    if path.is_file():
        if path.suffix.lower() not in TABLE_SUFFIXES:
            raise InputError(f"{path} is neither a .csv nor a .parquet file: give a CSV or "
                             "Parquet file, or a folder of images, as --input")
        return BatchInput(TABULAR, str(path), path, files=(path,))
    if not path.is_dir():
        raise InputError(f"{path} does not exist: give a CSV or Parquet file, or a folder of "
                         "images, as --input")
    tables = table_files(path)
    if tables:
        return BatchInput(TABULAR, str(path), path, files=tables)
    return BatchInput(FILE, str(path), path)


def input_from_dataset(name: str, version: int | None, workspace) -> BatchInput:
    """A dataset registered in the local workspace (Tabular: its CSV/Parquet files)."""
    record = workspace.datasets.get(name, version)
    common = {"label": f"dataset {record.id}", "root": record.path, "dataset": record.id,
              "content_sha256": record.content_sha256}
    if record.type == TABULAR:
        files = table_files(record.path) if record.path.is_dir() else (record.path,)
        if not files:
            raise InputError(f"dataset {record.id} holds no CSV or Parquet files "
                             f"({record.path}): register it again")
        return BatchInput(TABULAR, files=files, **common)
    return BatchInput(FILE, file_count=record.files, **common)


def table_files(folder: Path) -> tuple[Path, ...]:
    """The CSV and Parquet files under a folder, sorted."""
    return tuple(sorted(p for p in folder.rglob("*")
                        if p.suffix.lower() in TABLE_SUFFIXES and p.is_file()))


def table_chunks(files: tuple[Path, ...], size: int, label: str) -> Iterator[Chunk]:
    """The rows of every file in order, numbered from 0 across them all: a CSV file's as
    byte ranges (csv_ranges.py), a Parquet file's as DataFrames."""
    for file in files:
        if file.suffix.lower() == CSV_SUFFIX:
            from shared_code.amltoolbox.csv_reading import DatasetReadError, check_header
            try:
                check_header(file, label)
            except DatasetReadError as error:
                raise InputError(str(error)) from None
    total_bytes = sum(f.stat().st_size for f in files) or 1
    done_bytes, start = 0, 0
    for file in files:
        if file.suffix.lower() == PARQUET_SUFFIX:
            for frame, read_bytes in parquet_chunks(file, size, label):
                yield Chunk(frame, range(start, start + len(frame)),
                            min(1.0, (done_bytes + read_bytes) / total_bytes))
                start += len(frame)
        else:
            for part in csv_ranges(file, size, label, start):
                yield Chunk(part, range(start, start + part.rows),
                            min(1.0, (done_bytes + part.end) / total_bytes))
                start += part.rows
        done_bytes += file.stat().st_size


def table_frame(payload):
    """A Tabular chunk's rows as a DataFrame (a CSV range is read here, in its worker)."""
    return payload.read() if isinstance(payload, CsvRange) else payload


def parquet_chunks(file: Path, size: int, label: str):
    """(DataFrame, bytes read so far, in proportion to rows) of one Parquet file."""
    import pyarrow
    import pyarrow.parquet as pq
    try:
        parquet = pq.ParquetFile(file)
        rows, done = parquet.metadata.num_rows or 1, 0
        for batch in parquet.iter_batches(batch_size=size):
            done += batch.num_rows
            yield batch.to_pandas(), file.stat().st_size * done // rows
    except (pyarrow.ArrowException, OSError) as error:
        raise InputError(f"{label}: {file.name} is not a Parquet file that can be read "
                         f"({error}): write it again, or give a CSV file") from None


def image_chunks(folder: Path, size: int, label: str, file_count: int | None = None,
                 hashed: bool = False) -> Iterator[Chunk]:
    """The image files under `folder` in Path order, `size` at a time; keys are paths
    relative to the folder. With `hashed`, each chunk says how its files enter the folder's
    hash (Chunk.hashed), the files that are not images read and hashed here. An unreadable
    or imageless folder is an InputError."""
    paths, keys, plan, seen = [], [], [], 0
    full = None  # a full chunk, held until the next image: the files before it are its own
    for path, key, image, regular in walk_images(folder, label):
        if image:
            if full is not None:
                yield full
                full = None
            if regular:
                plan.append((key, len(paths)))
            paths.append(path)
            keys.append(key)
            if len(paths) == size:
                seen += len(paths)
                full = Chunk(paths, keys, min(1.0, seen / file_count) if file_count else None,
                             plan)
                paths, keys, plan = [], [], []
        elif regular and hashed:
            from shared_code.amltoolbox.hashing import file_sha256
            (full.hashed if full is not None else plan).append((key, file_sha256(path)))
    if full is not None:
        yield full
    if paths:
        seen += len(paths)
        yield Chunk(paths, keys, min(1.0, seen / file_count) if file_count else None, plan)
    if not seen:
        raise InputError(f"{label}: {folder} holds no images ({', '.join(IMAGE_SUFFIXES)}): "
                         "give the folder that holds the images to score")


def walk_images(folder: Path, label: str) -> Iterator[tuple[str, str, bool, bool]]:
    """(path, path relative to `folder` in posix form, whether an image, whether a file whose
    bytes are read) of each entry under `folder` that is no folder, in Path order: each
    folder's entries sorted by name, a subfolder's where its name sorts, as
    hashing.tree_sha256 reads them (folders reached through a symlink are not walked).
    Strings rather than Paths: a Path costs more than reading a small image."""
    if not folder.is_dir():
        raise InputError(f"{label}: {folder} is not a folder: give a folder of images")

    def walk(directory: str, prefix: str):
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            raise InputError(f"{label}: cannot read the folder {error.filename} "
                             f"({error.strerror}): make it readable, or give another "
                             "--input") from None
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path, f"{prefix}{entry.name}/")
            else:
                image = (os.path.splitext(entry.name)[1].lower() in IMAGE_SUFFIXES
                         and not entry.is_dir())
                yield entry.path, prefix + entry.name, image, entry.is_file()
    yield from walk(str(folder), "")
