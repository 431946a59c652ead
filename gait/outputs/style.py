"""Colours shared by the annotated video, the key frames and the PDF (RGB 0-255), so each reads the same.

A plain module of constants: the PDF imports it without pulling in the video renderer (OpenCV, PyAV).
"""

from __future__ import annotations

RGB = tuple[int, int, int]

#: limbs by side (the left foot's leg blue, the right foot's red), the trunk, measured lines
COLOURS: dict[str, RGB] = {
    "left": (66, 135, 245),
    "right": (245, 90, 66),
    "centre": (255, 255, 255),
    "cue": (250, 200, 40),
}
#: cue banners and marks by severity
SEVERITY_COLOURS: dict[str, RGB] = {
    "flag": (220, 50, 50),
    "watch": (240, 160, 30),
    "info": (70, 130, 220),
    "good": (40, 160, 80),
}
HIP_LINE: RGB = (255, 255, 0)  # the vertical through the hips at a landing
VERTICAL: RGB = (200, 200, 200)  # the vertical reference of the trunk lean
