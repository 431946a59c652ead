"""Before/after comparison on synthetic runners whose form changed in a known way."""

from __future__ import annotations

from gait import AnalysisConfig
from gait.metrics.registry import zone_clear_of_noise
from gait.workflows.compare import compare_reports, comparison_text
from tests.support.runners import HEALTHY, LEANER, analyse
from tests.support.runners import synthetic_report as report


def test_fixing_an_overstride_reads_better_and_resolves_the_cue() -> None:
    cmp = compare_reports(report("overstrider"), report("healthy"))
    d = cmp.delta("shank_angle_at_contact_deg")
    assert d.delta < -2.0 and d.direction == "better"
    assert d.zone_before in ("watch", "flag") and d.zone_after == "ok"
    assert cmp.delta("overstride_cm").direction == "better"
    assert "Shorten your stride - land under your hips" in cmp.resolved
    assert cmp.new == ()
    assert cmp.delta("trunk_lean_deg").direction == "same"  # 6° both times


def test_the_reverse_change_reads_worse_and_the_cue_is_new() -> None:
    cmp = compare_reports(report("healthy"), report("overstrider"))
    assert cmp.delta("shank_angle_at_contact_deg").direction == "worse"
    assert "Shorten your stride - land under your hips" in cmp.new and cmp.resolved == ()


def test_trunk_lean_is_better_when_it_moves_into_its_range() -> None:
    cmp = compare_reports(report("leaner"), report("healthy"))
    d = cmp.delta("trunk_lean_deg")
    assert abs(d.delta - (HEALTHY["trunk_lean_deg"] - LEANER["trunk_lean_deg"])) <= 1.5 and d.direction == "better"
    assert d.zone_before == zone_clear_of_noise("trunk_lean_deg", d.before, AnalysisConfig())
    assert d.zone_before in ("watch", "flag")
    assert d.zone_after == "ok"
    assert "Run tall" in cmp.resolved


def test_same_report_changes_nothing() -> None:
    r = report("healthy")
    cmp = compare_reports(r, r)
    assert {d.direction for d in cmp.deltas} <= {"same", "n/a"}
    assert cmp.resolved == cmp.new == ()
    assert cmp.same_video and len(cmp.warnings) == 1 and "same video" in cmp.warnings[0]
    text = comparison_text(cmp)
    assert "Cadence" in text and "cadence_spm" not in text and "better" not in text


def test_different_views_are_warned_about() -> None:
    rear = analyse(AnalysisConfig(height_cm=175.0), fps=60.0, view="rear")[0]
    cmp = compare_reports(report("healthy"), rear)
    assert any("different views" in w for w in cmp.warnings)
    assert cmp.delta("overstride_cm").direction == "n/a"  # not measured from behind


def test_two_different_runs_are_not_the_same_video() -> None:
    cmp = compare_reports(report("overstrider"), report("healthy"), sha_before="a" * 64, sha_after="b" * 64)
    assert not cmp.same_video and not any("same video" in w for w in cmp.warnings)
    again = compare_reports(report("overstrider"), report("healthy"), sha_before="a" * 64, sha_after="a" * 64)
    assert again.same_video


def test_a_change_inside_the_ok_zone_is_not_called_better() -> None:
    from dataclasses import replace

    from gait.metrics.assessment import with_assessments

    before, after = report("healthy"), report("healthy")
    m = before.metrics["waist_bend_deg"]
    # A change larger than both sessions' uncertainties combined (√2 × 6°), both values in the ok zone (≤ 5° + 6°).
    b = with_assessments(replace(before, metrics={**before.metrics, "waist_bend_deg": replace(m, value=4.0)}))
    a = with_assessments(replace(after, metrics={**after.metrics, "waist_bend_deg": replace(m, value=-6.0)}))
    d = compare_reports(b, a).delta("waist_bend_deg")
    assert (d.zone_before, d.zone_after) == ("ok", "ok") and d.direction == "changed"


def test_a_cue_gone_without_its_zone_improving_is_not_resolved() -> None:
    from dataclasses import replace

    before = report("overstrider")
    cue = next(c for c in before.cues if c.id == "land_under_hips")
    shank = before.metrics["shank_angle_at_contact_deg"]
    # The after session has the same landing numbers but no cue (e.g. other thresholds in a newer version).
    after = replace(before, cues=tuple(c for c in before.cues if c.id != cue.id))
    cmp = compare_reports(before, after)
    assert cue.title not in cmp.resolved and cue.title in cmp.unconfirmed
    assert cmp.delta("shank_angle_at_contact_deg").zone_after == cmp.delta(shank.name).zone_before != "ok"


def test_running_against_walking_is_warned_about() -> None:
    from dataclasses import replace

    walk = replace(report("healthy"), activity="walking")
    cmp = compare_reports(report("healthy"), walk, sha_before="a" * 64, sha_after="b" * 64)
    assert any("walking" in w and "running" in w for w in cmp.warnings)
    same = compare_reports(report("healthy"), report("overstrider"), sha_before="a" * 64, sha_after="b" * 64)
    assert not any("walking" in w for w in same.warnings)
