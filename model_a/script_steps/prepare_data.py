"""This model's datasets, made by code: scikit-learn's diabetes data, unscaled, split in two.

442 patients, 10 named baseline features (age, sex, bmi, bp, s1-s6) and the target, a
measure of disease progression one year later. The split is seeded, so every machine
makes the same files.
"""
from pathlib import Path

from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.staging import folder_written_whole

TEST_FRACTION = 0.25
SPLIT_SEED = 42


def load_diabetes_frame():
    """The diabetes data as one DataFrame in original units, target last."""
    from sklearn.datasets import load_diabetes
    bunch = load_diabetes(as_frame=True, scaled=False)
    return bunch.frame


def split(frame, test_fraction: float = TEST_FRACTION, seed: int = SPLIT_SEED):
    """A reproducible training/testing split."""
    from sklearn.model_selection import train_test_split
    return train_test_split(frame, test_size=test_fraction, random_state=seed)


def write_datasets(model_dir: Path) -> dict[str, Path]:
    """Write the training and testing CSV files where the config's datasets point (each
    folder appears whole; one that holds files already is left as it is)."""
    config = load_model_config(model_dir)
    training, testing = split(load_diabetes_frame())
    written = {}
    for usage, frame in (("training", training), ("testing", testing)):
        folder = model_dir / config.dataset(usage).path
        file_name = f"diabetes_{usage}.csv"
        with folder_written_whole(folder) as staging:
            frame.to_csv(staging / file_name, index=False)
        written[usage] = folder / file_name
    return written


if __name__ == "__main__":
    for name, file in write_datasets(Path(__file__).resolve().parents[1]).items():
        print(f"{name}: {file}")
