"""reports.frames: pure pandas, no database. Every expected figure below is worked out by hand in the comments."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from reports import frames


def units(*codes):
    return pd.DataFrame({"unit": list(codes), "name": [f"n{c}" for c in codes]})


def test_unit_codes_follow_the_prefix_hierarchy():
    codes = pd.Series(["530302001", "530302", "530381", "530300"])
    assert frames.unit_codes(codes, "province").tolist() == ["530000"] * 4
    assert frames.unit_codes(codes, "city").tolist() == ["530300"] * 4
    assert frames.unit_codes(codes, "county").tolist() == ["530302", "530302", "530381", "530300"]
    # institutions registered at a county have no township
    assert frames.unit_codes(codes, "township").tolist() == ["530302001", "", "", ""]
    with pytest.raises(ValueError):
        frames.unit_codes(codes, "village")


def test_with_units_maps_institutions_and_drops_unknown_ones():
    institutions = pd.DataFrame({"institution_id": [1, 2], "unit": ["A", "B"]})
    facts = pd.DataFrame({"institution_id": [1, 2, 3], "person_id": [10, 11, 12]})
    out = frames.with_units(facts, institutions)
    assert out["unit"].tolist() == ["A", "B"]
    assert out["person_id"].tolist() == [10, 11]


def test_certified_rate_counts_each_person_once_per_unit():
    # A: person 1 (certified) holds two posts in A, person 2 not certified -> 2 staff, 1 certified, 50%
    # B: persons 3, 4, 5 all certified except 5 -> 3 staff, 2 certified, 66.67%
    # C: nobody on duty -> 0 staff, rate undefined (NaN); D is not asked for and is left out
    staff = pd.DataFrame(
        {
            "unit": ["A", "A", "A", "B", "B", "B", "D"],
            "person_id": [1, 1, 2, 3, 4, 5, 6],
            "certified": [True, True, False, True, True, False, True],
        }
    )
    out = frames.certified_rate(staff, units("A", "B", "C"))
    assert out["unit"].tolist() == ["A", "B", "C"]
    assert out["name"].tolist() == ["nA", "nB", "nC"]
    assert out["staff"].tolist() == [2, 3, 0]
    assert out["certified"].tolist() == [1, 2, 0]
    assert out["rate"].iloc[0] == 50.0
    assert out["rate"].iloc[1] == 66.67
    assert pd.isna(out["rate"].iloc[2])
    assert out["staff"].dtype == "int64"


def test_a_person_in_two_units_counts_in_both():
    staff = pd.DataFrame({"unit": ["A", "B"], "person_id": [1, 1], "certified": [True, True]})
    out = frames.certified_rate(staff, units("A", "B"))
    assert out["staff"].tolist() == [1, 1]


def test_health_check_compliance():
    # A: 3 people, 2 with a valid check -> 66.67%
    staff = pd.DataFrame({"unit": ["A"] * 3, "person_id": [1, 2, 3], "checked": [True, False, True]})
    out = frames.health_check_compliance(staff, units("A"))
    assert (out["staff"].iloc[0], out["checked"].iloc[0], out["rate"].iloc[0]) == (3, 2, 66.67)


LEDGER = pd.DataFrame(
    {
        # person 1: course c1 in two lessons (2 + 3 h) = one person-time of 5 h (pre_job, childcare worker)
        # person 1: director course c2, 4 h credited then fully corrected (-4) -> no person-time
        # person 2: director course c3 6 h -> one person-time (director)
        # person 2: a classroom day without a course, 2 h -> one person-time (in_service, no occupation)
        # person 3: in_service 1 h -> one person-time, but person 3 has no unit -> not counted
        "person_id": [1, 1, 1, 1, 2, 2, 3],
        "kind": ["pre_job", "pre_job", "director", "director", "director", "in_service", "in_service"],
        "event": ["c1", "c1", "c2", "c2", "c3", "d2025-03-01", "c9"],
        "occupation": ["childcare_worker", "childcare_worker", "director", "director", "director", "", ""],
        "hours": [2.0, 3.0, 4.0, -4.0, 6.0, 2.0, 1.0],
    }
)
ATTRIBUTION = pd.DataFrame({"person_id": [1, 2, 2], "unit": ["A", "A", "B"]})  # person 2's last unit is B


def test_training_events_nets_corrections_and_keeps_positive_events():
    events = frames.training_events(LEDGER)
    assert sorted(zip(events["person_id"], events["event"], events["hours"], strict=True)) == [
        (1, "c1", 5.0),
        (2, "c3", 6.0),
        (2, "d2025-03-01", 2.0),
        (3, "c9", 1.0),
    ]


def test_course_event_counts_nets_each_event_exactly_and_counts_them_per_course():
    # person 1, kind 0: course 7 in two lessons on two days (2 + 3 h) -> one person-time of 5 h;
    #                   course 8: 4 h credited, then -4 h -> none
    # person 2, kind 1: no course: day 100 2 h + 1.5 h -> one event (3.5 h); day 101 1 h -> another;
    #                   day 102 0.1 + 0.2 - 0.3 h -> nothing (exact in tenths, not 5.6e-17)
    # person 3, kind 1: course 7, 1 h -> one
    entries = pd.DataFrame(
        [
            (2, 1, 0, 102, 1),
            (1, 0, 7, 0, 20),
            (2, 1, 0, 100, 20),
            (1, 0, 8, 0, 40),
            (3, 1, 7, 0, 10),
            (2, 1, 0, 101, 10),
            (1, 0, 7, 0, 30),
            (2, 1, 0, 102, 2),
            (1, 0, 8, 0, -40),
            (2, 1, 0, 100, 15),
            (2, 1, 0, 102, -3),
        ],
        columns=["person", "kind", "course", "day", "tenths"],
    )
    out = frames.course_event_counts(*(entries[c].to_numpy() for c in entries.columns))
    assert out.to_dict("list") == {
        "person_id": [1, 2, 3],
        "kind": [0, 1, 1],
        "course": [7, 0, 7],
        "count": [1, 2, 1],
        "hours": [5.0, 4.5, 1.0],
    }
    empty = frames.course_event_counts(*(np.empty(0, dtype=np.int64),) * 5)
    assert list(empty.columns) == ["person_id", "kind", "course", "count", "hours"] and empty.empty
    cancelled = frames.course_event_counts(*(np.array(v) for v in ([1, 1], [0, 0], [7, 7], [0, 0], [5, -5])))
    assert cancelled.empty


def test_training_person_times_by_kind_and_occupation():
    events = frames.training_events(LEDGER)
    out = frames.training_person_times(
        events,
        ATTRIBUTION,
        units("A", "B", "C"),
        kinds=["pre_job", "in_service", "director"],
        occupations=["childcare_worker", "director"],
    ).set_index("unit")
    # A: person 1's c1 (5 h); B: person 2's c3 (6 h) and the classroom day (2 h); C: nothing
    assert out["person_times"].to_dict() == {"A": 1, "B": 2, "C": 0}
    assert out["hours"].to_dict() == {"A": 5.0, "B": 8.0, "C": 0.0}
    assert out["director"].to_dict() == {"A": 0, "B": 1, "C": 0}
    assert out["care"].to_dict() == {"A": 1, "B": 1, "C": 0}
    assert out["kind_pre_job"].to_dict() == {"A": 1, "B": 0, "C": 0}
    assert out["kind_in_service"].to_dict() == {"A": 0, "B": 1, "C": 0}
    assert out["occupation_childcare_worker"].to_dict() == {"A": 1, "B": 0, "C": 0}
    assert out["occupation_director"].to_dict() == {"A": 0, "B": 1, "C": 0}
    assert out["kind_director"].dtype == "int64"


def test_people_trained_counts_distinct_people():
    events = frames.training_events(LEDGER)
    out = frames.people_trained(events, ATTRIBUTION, units("A", "B", "C")).set_index("unit")
    assert out["people"].to_dict() == {"A": 1, "B": 1, "C": 0}
    assert out["hours"].to_dict() == {"A": 5.0, "B": 8.0, "C": 0.0}


def test_in_service_compliance_requires_every_requirement_of_every_post():
    # caregivers need 24 h in_service; directors need 24 h in_service and 60 h director
    requirements = pd.DataFrame(
        {
            "post": ["caregiver", "director", "director"],
            "kind": ["in_service"] * 2 + ["director"],
            "required": [24.0, 24.0, 60.0],
        }
    )
    staff = pd.DataFrame(
        {
            "unit": ["A", "A", "A", "A", "B"],
            "person_id": [1, 2, 3, 4, 5],
            "post": ["caregiver", "caregiver", "director", "other", "director"],
        }
    )
    hours = pd.DataFrame(
        {
            "person_id": [1, 2, 3, 3, 5, 5],
            "kind": ["in_service"] * 3 + ["director", "in_service", "director"],
            "hours": [24.0, 23.5, 30.0, 59.0, 24.0, 60.0],
        }
    )
    out = frames.in_service_compliance(staff, requirements, hours, units("A", "B")).set_index("unit")
    # A: person 1 meets 24 h; person 2 is short (23.5); person 3 misses director 60 h; person 4 has no requirement
    # -> 3 staff, 1 compliant, 33.33%.  B: person 5 meets both -> 1 of 1, 100%
    assert out["staff"].to_dict() == {"A": 3, "B": 1}
    assert out["compliant"].to_dict() == {"A": 1, "B": 1}
    assert out["rate"].to_dict() == {"A": 33.33, "B": 100.0}


def test_staff_ratio_rounds_each_group_up():
    counts = pd.DataFrame(
        {"institution_id": [1, 2, 3], "infants": [4, 0, 0], "younger": [10, 5, 0], "older": [15, 7, 0]}
    )
    caregivers = pd.DataFrame({"institution_id": [1, 1, 1, 1, 1, 1, 2, 2, 2], "person_id": [1, 2, 3, 4, 5, 5, 6, 7, 8]})
    out = frames.staff_ratio(counts, caregivers, {"infants": 3, "younger": 5, "older": 7}).set_index("institution_id")
    # 1: ceil(4/3)=2 + ceil(10/5)=2 + ceil(15/7)=3 = 7 required, 5 distinct caregivers -> 2 short
    # 2: 0 + 1 + 1 = 2 required, 3 caregivers -> fine;  3: no children, no caregivers -> fine
    assert out["children"].to_dict() == {1: 29, 2: 12, 3: 0}
    assert out["required"].to_dict() == {1: 7, 2: 2, 3: 0}
    assert out["caregivers"].to_dict() == {1: 5, 2: 3, 3: 0}
    assert out["shortfall"].to_dict() == {1: 2, 2: 0, 3: 0}
    assert out["below"].to_dict() == {1: True, 2: False, 3: False}


def test_staff_ratio_summary_per_unit():
    per_institution = pd.DataFrame(
        {
            "unit": ["A", "A", "B"],
            "below": [True, False, True],
            "children": [29, 12, 8],
            "required": [7, 2, 3],
            "caregivers": [5, 3, 1],
            "shortfall": [2, 0, 2],
        }
    )
    out = frames.staff_ratio_summary(per_institution, units("A", "B", "C")).set_index("unit")
    assert out.loc["A"].tolist()[1:] == [2, 1, 41, 9, 8, 2]
    assert out.loc["B"].tolist()[1:] == [1, 1, 8, 3, 1, 2]
    assert out.loc["C"].tolist()[1:] == [0, 0, 0, 0, 0, 0]


def test_linear_projection():
    # 40% at the end of 2023, 50% at the end of 2024: +10 points a year -> 70% at the end of 2026
    # (2024 has 366 days; the end of 2026 is 730 days after the second point: 50 + 10 * 730/366 = 69.945)
    points = [(date(2023, 12, 31), 40.0), (date(2024, 12, 31), 50.0)]
    assert frames.linear_projection(points, date(2026, 12, 31)) == pytest.approx(69.945, abs=0.001)
    assert frames.linear_projection([(date(2024, 1, 1), 12.0)], date(2026, 1, 1)) == 12.0
    assert frames.linear_projection([], date(2026, 1, 1)) is None
    assert frames.linear_projection([(date(2024, 1, 1), float("nan"))], date(2026, 1, 1)) is None


def test_projections_per_unit_match_the_single_line():
    history = pd.DataFrame(
        {
            "unit": ["A", "A", "A", "B", "B", "C"],
            "on": [
                date(2023, 12, 31),
                date(2024, 12, 31),
                date(2025, 6, 30),
                date(2024, 1, 1),
                date(2025, 1, 1),
                date(2025, 1, 1),
            ],
            "value": [40.0, 50.0, 54.0, 0.0, 100.0, 30.0],
        }
    )
    out = frames.projections(history, date(2026, 12, 31))
    a_points = list(zip(history["on"][:3], history["value"][:3], strict=True))
    assert out["A"] == pytest.approx(frames.linear_projection(a_points, date(2026, 12, 31)))
    # B: 0 -> 100 over 2024 (366 days); 2026-12-31 is 729 days after 2025-01-01 -> 100 + 100*729/366
    assert out["B"] == pytest.approx(100 + 100 * 729 / 366)
    assert out["C"] == 30.0  # a single point stays flat


def test_will_miss():
    projected = pd.Series([71.0, 69.9, float("nan")])
    assert frames.will_miss(projected, 70).tolist() == [False, True, True]
    assert frames.will_miss(pd.Series([0.0, 2.0]), 1, higher_is_better=False).tolist() == [False, True]
