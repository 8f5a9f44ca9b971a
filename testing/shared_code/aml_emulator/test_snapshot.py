"""A step's snapshot copy holds the files the SDK would upload, honouring .amlignore."""
from shared_code.aml_emulator.snapshot import copy_snapshot, snapshot_files


def _tree(root, files):
    for path in files:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(path, encoding="utf-8")


def test_the_copy_holds_exactly_what_amlignore_lets_through(tmp_path):
    source = tmp_path / "source"
    _tree(source, ["shared_code/a.py", "model_x/script_steps/train.py", "model_x/data/big.csv",
                   ".tox/env/lib.py", "notes.txt"])
    (source / ".amlignore").write_text("**/data/\n.tox/\n", encoding="utf-8")
    copied = copy_snapshot(source, tmp_path / "wd")
    assert copied == [".amlignore", "model_x/script_steps/train.py", "notes.txt",
                      "shared_code/a.py"]
    assert sorted(p.relative_to(tmp_path / "wd").as_posix()
                  for p in (tmp_path / "wd").rglob("*") if p.is_file()) == copied
    copy = tmp_path / "wd" / "shared_code" / "a.py"
    assert copy.read_text(encoding="utf-8") == "shared_code/a.py"


def test_without_amlignore_the_gitignore_is_honoured(tmp_path):
    _tree(tmp_path, ["keep.py", "outputs/run.log"])
    (tmp_path / ".gitignore").write_text("outputs/\n", encoding="utf-8")
    assert snapshot_files(tmp_path) == [".gitignore", "keep.py"]
