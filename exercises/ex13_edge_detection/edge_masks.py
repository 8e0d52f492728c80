"""Given, not an exercise: the Canny edge masks that ex13's network learns to draw.

Both the exercise's plugin and the reference register this one function as
``analysis.canny_edge_masks``.
"""

from __future__ import annotations

import numpy as np


def canny_edge_masks(x: np.ndarray, shape: tuple[int, int], sigma: float = 1.0) -> np.ndarray:
    """Canny edges of each image: x (N, H*W) floats in [0, 1] -> bool masks (N, H*W).

    Given, not an exercise: ``skimage.feature.canny(image, sigma=sigma)`` on every image,
    reshaped to (H, W). Canny smooths with a Gaussian of width ``sigma``, takes the gradient,
    keeps its local maxima across the edge and links them with two thresholds that are fixed
    numbers: on digits as raw integers 0..16 they fall in the wrong place and every mask is
    empty, so the pixels must be floats in [0, 1].

    Args:
        x: (N, H*W) images, floats in [0, 1].
        shape: (H, W) of one image.
        sigma: the width of Canny's Gaussian smoothing, in pixels.

    Returns:
        (N, H*W) bool: True on an edge pixel.

    Raises:
        ValueError: x not (N, H*W), or pixels outside [0, 1].
    """
    from skimage.feature import canny

    x = np.asarray(x)
    height, width = shape
    if x.ndim != 2 or x.shape[1] != height * width:
        raise ValueError(
            f"canny_edge_masks: images must be (N, {height * width}) rows for shape {shape}; "
            f"got {x.shape}"
        )
    if x.size and (x.min() < 0 or x.max() > 1):
        raise ValueError(
            f"canny_edge_masks: pixels must be floats in [0, 1]; got values up to {x.max()} "
            "(divide digits 0..16 by 16: Canny's thresholds on raw integers give empty masks)"
        )
    images = x.astype(np.float64).reshape(len(x), height, width)
    return np.stack([canny(image, sigma=sigma) for image in images]).reshape(len(x), -1)
