"""Data profiling plots for labelled images (one class per image), for a model's eda/ runner."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position


def class_counts(labels):
    """How many images each class has: a bar per class."""
    classes, counts = np.unique(np.asarray(labels), return_counts=True)
    fig, ax = plt.subplots(figsize=(1.5 + 0.5 * len(classes), 3.5))
    ax.bar([str(c) for c in classes], counts, color="tab:blue")
    for position, count in enumerate(counts):
        ax.text(position, count, str(count), ha="center", va="bottom", fontsize=8)
    ax.set_xlabel("class")
    ax.set_ylabel("images")
    ax.set_title("Images per class")
    fig.tight_layout()
    return fig


def examples_per_class(images, labels, per_class: int = 8):
    """The first `per_class` images of each class, a row per class."""
    images, labels = np.asarray(images), np.asarray(labels)
    classes = np.unique(labels)
    fig, axes = plt.subplots(len(classes), per_class, figsize=(0.8 * per_class, 0.8 * len(classes)),
                             squeeze=False)
    for row, label in zip(axes, classes):
        examples = images[labels == label][:per_class]
        for ax, image in zip(row, examples):
            ax.imshow(image, cmap="gray_r", vmin=0, vmax=255)
        for ax in row:
            ax.set_xticks([])
            ax.set_yticks([])
        row[0].set_ylabel(str(label), rotation=0, labelpad=12)
    fig.suptitle("Examples per class")
    return fig


def mean_image_per_class(images, labels):
    """Each class's average image: where its ink usually is."""
    images, labels = np.asarray(images, dtype=float), np.asarray(labels)
    classes = np.unique(labels)
    fig, axes = plt.subplots(1, len(classes), figsize=(1.2 * len(classes), 1.6), squeeze=False)
    for ax, label in zip(axes.flat, classes):
        ax.imshow(images[labels == label].mean(axis=0), cmap="gray_r", vmin=0, vmax=255)
        ax.set_title(str(label))
        ax.axis("off")
    fig.suptitle("Mean image per class")
    fig.tight_layout()
    return fig


def pixel_histogram(images):
    """How often each gray level occurs over all pixels of all images."""
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(np.asarray(images).ravel(), bins=64, range=(0, 255), color="tab:blue")
    ax.set_yscale("log")
    ax.set_xlabel("gray level (0 = no ink)")
    ax.set_ylabel("pixels")
    ax.set_title("Pixel gray levels")
    fig.tight_layout()
    return fig
