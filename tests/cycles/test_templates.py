"""Step templates ship as data, one per seed plan (issue 4 §1)."""

from __future__ import annotations

import datetime as dt

from kiemdiem.cycles.templates import get_template, plan_templates


def test_every_seed_plan_has_a_template() -> None:
    assert {"thanhlien-2023", "bvphoi-2021", "tuyenquang-2021", "dukdntw-2018"} <= set(
        plan_templates()
    )


def test_thanhlien_six_steps_from_31_10_to_05_12() -> None:
    """000 §II.3: six steps, from 31/10/2023 to 05/12/2023."""
    steps = get_template("thanhlien-2023").steps
    assert len(steps) == 6
    assert steps[0].window(2023)[0] == dt.date(2023, 10, 31)
    assert steps[-1].window(2023)[1] == dt.date(2023, 12, 5)
    assert steps[3].window(2023) == (dt.date(2023, 11, 19), dt.date(2023, 11, 25))


def test_bvphoi_schedule() -> None:
    """003 §V: groups before 16/12, cell meeting 20/12, dossier before 22/12, appraisal 23–29/12."""
    windows = {s.code: s.window(2021) for s in get_template("bvphoi-2021").steps}
    assert windows["hop-to-dang"][1] == dt.date(2021, 12, 15)
    assert windows["hop-chi-bo"] == (dt.date(2021, 12, 20), dt.date(2021, 12, 20))
    assert windows["nop-ho-so"][1] == dt.date(2021, 12, 21)
    assert windows["tham-dinh"] == (dt.date(2021, 12, 23), dt.date(2021, 12, 29))


def test_tuyenquang_deadlines_fall_in_the_next_year() -> None:
    """004 §3: finish before 10/01, cadre dossiers before 15/01, reports before 10/02 of the
    following year."""
    ends = [s.window(2021)[1] for s in get_template("tuyenquang-2021").steps]
    assert ends == [dt.date(2022, 1, 9), dt.date(2022, 1, 14), dt.date(2022, 2, 9)]
    first = get_template("tuyenquang-2021").steps[0].window(2021)
    assert first[0] == dt.date(2021, 12, 1)


def test_qd366_steps_have_no_vote_and_meet_hd43_deadlines() -> None:
    """QĐ 366-QĐ/TW Điều 12: self-score → vetting and proposal → the competent level decides,
    no cell vote; HD 43-HD/BTCTW Mục 4: reviews finished before 31/12, the dossier (Mẫu 04)
    sent before 01/02 of the next year."""
    steps = get_template("qd366-2025").steps
    carried = {d for s in steps for d in s.deliverables}
    assert "bieu_quyet" not in carried and "tu_kiem_diem" in carried and "tham_dinh" in carried
    windows = {s.code: s.window(2026) for s in steps}
    assert (
        [s.code for s in steps].index("tu-cham-diem")
        < [s.code for s in steps].index("tham-dinh-de-xuat")
        < [s.code for s in steps].index("quyet-dinh-xep-loai")
    )
    assert max(end for code, (_s, end) in windows.items() if code != "nop-ho-so") < dt.date(
        2026, 12, 31
    )
    assert windows["nop-ho-so"][1] == dt.date(2027, 1, 31)
