"""Reading a folder of labelled images (one sub-folder per class), and writing one."""
import numpy as np
import pytest

from shared_code.image_utils.image_files import ImageReadError, write_grayscale_png
from shared_code.image_utils.image_folders import read_labelled_images, write_labelled_images

SIZE = (8, 8)


def image(value: int) -> np.ndarray:
    """An 8x8 image of one gray level."""
    return np.full((8, 8), value, dtype=np.uint8)


@pytest.fixture(name="image_folder")
def fixture_image_folder(tmp_path):
    """Two classes: a/ with two images, b/ with one in a nested folder."""
    root = tmp_path / "images"
    for relative, value in (("a/1.png", 10), ("a/2.png", 20), ("b/nested/3.png", 30)):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_grayscale_png(image(value), path)
    return root


def test_every_image_is_read_with_its_class_folder_as_label(image_folder):
    read = read_labelled_images(image_folder, SIZE, "data")
    assert read.labels == ["a", "a", "b"]
    assert read.images.shape == (3, 8, 8)
    assert [int(i[0, 0]) for i in read.images] == [10, 20, 30]
    assert [p.name for p in read.files] == ["1.png", "2.png", "3.png"]
    assert len(read) == 3 and not read.skipped


def test_stray_files_that_are_not_images_are_skipped_and_listed(image_folder):
    (image_folder / "a" / "notes.txt").write_text("scanned on Monday")
    (image_folder / "b" / ".DS_Store").write_bytes(b"\0\1")
    (image_folder / "README.md").write_text("about these images")
    read = read_labelled_images(image_folder, SIZE, "data")
    assert len(read) == 3
    assert sorted(p.name for p in read.skipped) == [".DS_Store", "notes.txt"]


def test_an_unreadable_image_fails_naming_the_file(image_folder):
    (image_folder / "b" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(ImageReadError, match=r"data: b/broken.png is not an image file that can "
                                             r"be read. Replace the file with a readable 8x8 "
                                             r"image or remove it, then register the dataset "
                                             r"again"):
        read_labelled_images(image_folder, SIZE, "data")


def test_an_image_of_another_size_fails_naming_the_file(image_folder):
    write_grayscale_png(np.zeros((9, 8), dtype=np.uint8), image_folder / "a" / "tall.png")
    with pytest.raises(ImageReadError, match=r"a/tall.png is 8x9 pixels, not the 8x8 that the "
                                             r"model takes. Replace the file"):
        read_labelled_images(image_folder, SIZE, "data")


def test_an_empty_class_folder_fails_naming_it(image_folder):
    (image_folder / "c").mkdir()
    (image_folder / "c" / "notes.txt").write_text("to do")
    with pytest.raises(ImageReadError, match=r"class folder c/ holds no images; add its images "
                                             r"or remove the folder"):
        read_labelled_images(image_folder, SIZE, "data")


def test_an_image_outside_the_class_folders_fails(image_folder):
    write_grayscale_png(image(1), image_folder / "loose.png")
    with pytest.raises(ImageReadError, match="loose.png is not in a class folder"):
        read_labelled_images(image_folder, SIZE, "data")


def test_a_folder_without_class_folders_fails(tmp_path):
    (tmp_path / "README.md").write_text("nothing here")
    with pytest.raises(ImageReadError, match="holds no class folders"):
        read_labelled_images(tmp_path, SIZE, "data")


def test_a_path_that_is_not_a_folder_fails(tmp_path):
    with pytest.raises(ImageReadError, match="is not a folder"):
        read_labelled_images(tmp_path / "missing", SIZE, "data")


def test_written_images_read_back_in_their_class_folders(tmp_path):
    images = np.stack([image(v) for v in (5, 6, 7)])
    folder = write_labelled_images(images, [1, 0, 1], ["x", "y", "z"], tmp_path / "out")
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.png")) == [
        "0/y.png", "1/x.png", "1/z.png"]
    read = read_labelled_images(folder, SIZE, "out")
    assert read.labels == ["0", "1", "1"]
    assert [int(i[0, 0]) for i in read.images] == [6, 5, 7]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


def test_writing_keeps_a_folder_with_files_but_fills_an_empty_one(tmp_path):
    (tmp_path / "full" / "0").mkdir(parents=True)
    (tmp_path / "full" / "0" / "mine.png").write_bytes(b"keep me")
    write_labelled_images(np.stack([image(1)]), [0], ["x"], tmp_path / "full")
    assert [p.name for p in (tmp_path / "full").rglob("*.png")] == ["mine.png"]
    assert (tmp_path / "full" / "0" / "mine.png").read_bytes() == b"keep me"
    (tmp_path / "empty" / "3").mkdir(parents=True)
    written = write_labelled_images(np.stack([image(1)]), [0], ["x"], tmp_path / "empty")
    assert [p.relative_to(written).as_posix() for p in written.rglob("*.png")] == ["0/x.png"]


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    with pytest.raises(ValueError):
        write_labelled_images(np.stack([image(1), image(2)]), [0], ["x", "y"], tmp_path / "out")
    assert not list(tmp_path.iterdir())
