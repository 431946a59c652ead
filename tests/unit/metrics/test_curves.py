"""Gait-cycle curves on a synthetic stick figure whose joint angles are known functions of the stride phase."""

from __future__ import annotations

import math

import numpy as np

from gait.core import landmarks as L
from gait.core.types import GaitEvent
from gait.metrics.curves import curves_csv, joint_angles, stride_curves

STRIDE_S = 0.72
FPS = 60.0


def _hip(p: np.ndarray) -> np.ndarray:
    return 30.0 * np.cos(2 * np.pi * p)  # flexion at contact, extension mid-stride


def _knee(p: np.ndarray) -> np.ndarray:
    return 40.0 + 35.0 * np.sin(2 * np.pi * p) ** 2


def _ankle(p: np.ndarray) -> np.ndarray:
    return 15.0 * np.sin(2 * np.pi * p)


LEAN = 7.0


def _rotate(v: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rows of v rotated counter-clockwise (x forward, y up) by angle (radians)."""
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([v[:, 0] * c - v[:, 1] * s, v[:, 0] * s + v[:, 1] * c], axis=1)


def _figure(t: np.ndarray, phase_shift: float) -> np.ndarray:
    """(N, 33, 2) runner-frame landmarks of a figure with the known angles (left leg; right leg half a stride on)."""
    rf = np.zeros((len(t), 33, 2))
    lean = math.radians(LEAN)
    for side, shift in (("left", phase_shift), ("right", phase_shift + 0.5)):
        p = (t / STRIDE_S + shift) % 1.0
        s = L.SIDE[side]
        hip = np.tile([0.0, 100.0], (len(t), 1))
        down = np.array([-math.sin(lean), -math.cos(lean)])  # trunk line extended downward
        th = np.radians(_hip(p))
        # Thigh: the downward trunk direction rotated forward (counter-clockwise in x-forward/y-up) by the hip angle.
        thigh = _rotate(np.tile(down, (len(t), 1)), th)
        knee = hip + 45.0 * thigh
        kn = -np.radians(_knee(p))  # the shank turns backward from the thigh by the knee flexion
        shank = np.stack(
            [thigh[:, 0] * np.cos(kn) - thigh[:, 1] * np.sin(kn), thigh[:, 0] * np.sin(kn) + thigh[:, 1] * np.cos(kn)],
            1,
        )
        ankle = knee + 42.0 * shank
        # Foot at (90° - dorsiflexion) from the shin (ankle → knee), pointing forward.
        up = -shank
        a = np.radians(90.0 - _ankle(p))
        foot = np.stack(
            [up[:, 0] * np.cos(-a) - up[:, 1] * np.sin(-a), up[:, 0] * np.sin(-a) + up[:, 1] * np.cos(-a)], 1
        )
        heel = ankle - 4.0 * foot
        rf[:, s["hip"]], rf[:, s["knee"]], rf[:, s["ankle"]] = hip, knee, ankle
        rf[:, s["heel"]], rf[:, s["toe"]] = heel, heel + 20.0 * foot
    sh = np.array([0.0, 100.0]) + 60.0 * np.array([math.sin(lean), math.cos(lean)])
    rf[:, L.LEFT_SHOULDER] = rf[:, L.RIGHT_SHOULDER] = sh
    for i in range(11, 33):  # the arms etc.: anywhere finite
        if not rf[:, i].any() and i not in (L.LEFT_HIP, L.RIGHT_HIP):
            rf[:, i] = sh
    return rf


def _events(t_end: float, shift: float) -> list[GaitEvent]:
    out = []
    for foot, extra in (("left", 0.0), ("right", 0.5)):
        t0 = ((1 - (shift + extra) % 1.0) % 1.0) * STRIDE_S
        k = 0
        while t0 + k * STRIDE_S < t_end:
            tc = t0 + k * STRIDE_S
            out.append(GaitEvent(foot, "contact", int(tc * FPS), tc))  # type: ignore[arg-type]
            out.append(GaitEvent(foot, "toe_off", int((tc + 0.3 * STRIDE_S) * FPS), tc + 0.3 * STRIDE_S))  # type: ignore[arg-type]
            k += 1
    return out


def test_joint_angles_of_a_known_pose() -> None:
    t = np.array([0.0, 0.1, 0.2])
    rf = _figure(t, 0.0)
    p = (t / STRIDE_S) % 1.0
    angles = joint_angles(rf, "left")
    np.testing.assert_allclose(angles["hip"], _hip(p), atol=1e-6)
    np.testing.assert_allclose(angles["knee"], _knee(p), atol=1e-6)
    np.testing.assert_allclose(angles["ankle"], _ankle(p), atol=1e-6)
    np.testing.assert_allclose(angles["trunk"], LEAN, atol=1e-6)


def test_stride_curves_recover_the_known_cycle() -> None:
    t = np.arange(0, 6.0, 1 / FPS)
    shift = 0.13  # contacts fall between frames: the interpolation must place them
    rf = _figure(t, shift)
    curves = stride_curves(rf, t, _events(t[-1], shift))
    assert curves.n_strides["left"] >= 6 and curves.n_strides["right"] >= 6
    p = curves.pct / 100.0
    for foot in ("left", "right"):
        # Linear interpolation between 60 fps frames: within a degree of the truth.
        np.testing.assert_allclose(curves.mean[("hip", foot)], _hip(p), atol=1.0)
        np.testing.assert_allclose(curves.mean[("knee", foot)], _knee(p), atol=1.5)
        np.testing.assert_allclose(curves.mean[("ankle", foot)], _ankle(p), atol=1.0)
        np.testing.assert_allclose(curves.mean[("trunk", foot)], LEAN, atol=1e-6)
        assert curves.sd[("knee", foot)].max() < 1.0  # every stride is the same
        assert abs(curves.toe_off_pct[foot] - 30.0) < 0.5
    text = curves_csv(curves)
    assert text.splitlines()[0].startswith("Stride (%),Left hip mean (°),Left hip SD (°)")
    assert len([r for r in text.splitlines() if not r.startswith("#")]) == 1 + 101


def test_a_gap_in_the_landmarks_drops_only_that_stride() -> None:
    t = np.arange(0, 6.0, 1 / FPS)
    rf = _figure(t, 0.0)
    full = stride_curves(rf, t, _events(t[-1], 0.0))
    rf[100:104, L.LEFT_KNEE] = np.nan
    gappy = stride_curves(rf, t, _events(t[-1], 0.0))
    assert gappy.n_strides["left"] == full.n_strides["left"] - 1
    assert gappy.n_strides["right"] == full.n_strides["right"]  # the right leg's strides are whole
