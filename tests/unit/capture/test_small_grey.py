"""The small grey frames the checks after pose read without colour conversion (``gait.capture.video.small_grey``):
the same picture as the grey of the RGB frames, on the same 0-255 scale, the rotation tag applied."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from gait.capture.probe import probe_video
from gait.capture.video import frame_rgb, iter_decoded, iter_frames, small_grey
from tests.support.corpus import synthetic_video


def _rgb_grey_small(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    return 0.299 * small[..., 0] + 0.587 * small[..., 1] + 0.114 * small[..., 2]


def test_small_grey_is_the_grey_of_the_rgb_frame_on_its_scale(tmp_path: Path) -> None:
    clip = synthetic_video(tmp_path, "grad.mp4", n_frames=6, size=(640, 360), content="moving")
    info = probe_video(clip)
    for (_, _, raw), frame in zip(iter_decoded(info), iter_frames(info), strict=True):
        small = small_grey(raw, info, 160)
        assert small.shape == (90, 160) and small.dtype == np.float32
        want = _rgb_grey_small(frame.rgb, (160, 90))
        # limited-range luma rescaled to 0-255: within a couple of grey levels of the RGB's grey (rounding)
        assert float(np.median(np.abs(small - want))) < 2.0, float(np.median(np.abs(small - want)))
        assert abs(float(small.mean()) - float(want.mean())) < 2.0
        assert np.array_equal(frame_rgb(raw, info), frame.rgb)


def test_small_grey_applies_the_rotation_tag(tmp_path: Path) -> None:
    clip = synthetic_video(tmp_path, "rot.mp4", n_frames=3, size=(320, 240), content="moving", rotation_deg=90)
    info = probe_video(clip)
    assert info.rotation_deg in (90, 270)
    for (_, _, raw), frame in zip(iter_decoded(info), iter_frames(info), strict=True):
        small = small_grey(raw, info, 160)
        h, w = frame.rgb.shape[:2]
        assert small.shape == (160, 120) == (round(160 * h / max(h, w)), round(160 * w / max(h, w)))
        want = _rgb_grey_small(frame.rgb, (small.shape[1], small.shape[0]))
        assert float(np.median(np.abs(small - want))) < 2.0
