"""Every figure of the sample, counted by hand from data/ket-qua-thi-dua-2024.yaml and checked here.

Per unit (staff, union members, “Lao động tiên tiến”, “Chiến sĩ thi đua cơ sở”, own title):

    Văn phòng Cục                                18  17  17  4  xuất sắc
    Phòng Tổ chức cán bộ                         11  11  11  2  xuất sắc
    Phòng Kế hoạch - Tài chính                   14  14  14  3  xuất sắc
    Phòng Công nghiệp địa phương                 16  15  15  4  xuất sắc
    Phòng Khuyến công                            15  15  14  3  xuất sắc
    Phòng Thương mại địa phương                  13  13  11  2  tiên tiến
    Phòng Pháp chế - Thanh tra                   10  10  10  2  xuất sắc
    Trung tâm Tư vấn phát triển công nghiệp      20  18  16  4  tiên tiến
    Trung tâm Thông tin và Xúc tiến thương mại   15  14  14  3  xuất sắc
                                                132 127 122 27  7 xuất sắc, 2 tiên tiến

Targets of the launch: 90% of 9 collectives “Lao động xuất sắc” → 7/9 = 77,8%, missed; 100% of 132
staff LĐTT → 122/132 = 92,4%, missed; of which 20% CSTĐCS or higher → 27/132 = 20,5%, met (27 ≥
26,4); 100% study → 132/132, met.
Awards (base 2.340.000 đ): xuất sắc 1,5 → 3.510.000 × 7 = 24.570.000; tiên tiến (tập thể) 0,8 →
1.872.000 × 2 = 3.744.000; CSTĐCS 1,0 → 2.340.000 × 27 = 63.180.000 (the highest of their two
titles); LĐTT only 0,3 → 702.000 × 95 = 66.690.000. Total 158.184.000 đồng.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from dispatch_gen.campaign import compute_targets, load_campaign, load_results
from dispatch_gen.campaign.awards import award_amount, by_highest_title, priced_awardees
from dispatch_gen.campaign.targets import TargetResult
from test_campaign_common import CAMPAIGN, RESULTS, edited

UNITS = [
    ("Văn phòng Cục", 18, 17, 17, 4, "Tập thể lao động xuất sắc"),
    ("Phòng Tổ chức cán bộ", 11, 11, 11, 2, "Tập thể lao động xuất sắc"),
    ("Phòng Kế hoạch - Tài chính", 14, 14, 14, 3, "Tập thể lao động xuất sắc"),
    ("Phòng Công nghiệp địa phương", 16, 15, 15, 4, "Tập thể lao động xuất sắc"),
    ("Phòng Khuyến công", 15, 15, 14, 3, "Tập thể lao động xuất sắc"),
    ("Phòng Thương mại địa phương", 13, 13, 11, 2, "Tập thể lao động tiên tiến"),
    ("Phòng Pháp chế - Thanh tra", 10, 10, 10, 2, "Tập thể lao động xuất sắc"),
    ("Trung tâm Tư vấn phát triển công nghiệp", 20, 18, 16, 4, "Tập thể lao động tiên tiến"),
    ("Trung tâm Thông tin và Xúc tiến thương mại", 15, 14, 14, 3, "Tập thể lao động xuất sắc"),
]


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(CAMPAIGN)


@pytest.fixture(scope="module")
def results(campaign):
    return load_results(RESULTS, campaign)


def test_per_unit_counts(results):
    found = [(u.name, u.staff, u.union_members, sum("Lao động tiên tiến" in p.titles for p in u.people),
              sum("Chiến sĩ thi đua cơ sở" in p.titles for p in u.people), u.title) for u in results.units]
    assert found == UNITS
    assert [len(u.people) for u in results.units] == [u[1] for u in UNITS]
    assert sum(p.union_member for u in results.units for p in u.people) == 127


def test_targets(campaign, results):
    rows = compute_targets(campaign, results.units, results.year)
    assert [(r.number, r.share, r.achieved, r.base) for r in rows] == [
        (1, Decimal("0.9"), 7, 9),
        (2, Decimal("1"), 122, 132),
        (3, Decimal("0.2"), 27, 132),
        (4, Decimal("1"), 132, 132),
    ]
    assert [(r.share_text, r.count_text, r.ratio_text, r.verdict) for r in rows] == [
        ("90%", "7/9", "77,8%", "Không đạt"),
        ("100%", "122/132", "92,4%", "Không đạt"),
        ("20%", "27/132", "20,5%", "Đạt"),
        ("100%", "132/132", "100%", "Đạt"),
    ]
    assert rows[0].label == "Tập thể đạt Lao động xuất sắc"
    assert rows[2].label.startswith("Trong đó: cán bộ công chức đạt danh hiệu Chiến sỹ thi đua cơ sở")
    assert [r.short for r in rows] == ["Tập thể lao động xuất sắc", "Lao động tiên tiến",
                                       "Chiến sĩ thi đua cơ sở trở lên", "Học tập, nâng cao trình độ"]


def test_met_is_exact_not_rounded():
    """20% of 132 is 26,4: 27 meets it, 26 (19,7%) does not, whatever the printed rounding."""
    assert TargetResult(1, "", "", Decimal("0.2"), 27, 132).met is True
    assert TargetResult(1, "", "", Decimal("0.2"), 26, 132).met is False
    near = TargetResult(1, "", "", Decimal("1"), 1319, 1320)
    assert near.ratio_text == "99,9%" and near.met is False
    assert TargetResult(1, "", "", Decimal("0.9"), 0, 0).verdict == "Không có số liệu"


def test_union_member_measure(tmp_path, campaign):
    """A target counted over union members: the base is their count, only members count."""
    text = CAMPAIGN.read_text(encoding="utf-8").replace("measure: {of: staff, activity: study}",
                                                         "measure: {of: union_members, activity: study}")
    path = tmp_path / "launch.yaml"
    path.write_text(text, encoding="utf-8")
    other = load_campaign(path)
    rows = compute_targets(other, load_results(RESULTS, other).units, 2024)
    assert (rows[3].achieved, rows[3].base) == (127, 127)


def test_awards(results):
    people = priced_awardees(results)
    groups = {title: (len(members), {m.amount for m in members}) for title, members in by_highest_title(people)}
    assert groups == {
        "Tập thể lao động xuất sắc": (7, {3_510_000}),
        "Tập thể lao động tiên tiến": (2, {1_872_000}),
        "Chiến sĩ thi đua cơ sở": (27, {2_340_000}),
        "Lao động tiên tiến": (95, {702_000}),
    }
    assert [t for t, _ in by_highest_title(people)] == list(groups)
    assert sum(a.amount for a in people) == 158_184_000


def test_pay_each_and_rounding(tmp_path, campaign):
    each = load_results(edited(tmp_path, ("  pay: highest", "  pay: each"), name="each.yaml"), campaign)
    assert sum(a.amount for a in priced_awardees(each)) == 158_184_000 + 27 * 702_000
    rounded = load_results(edited(tmp_path, ("  round_up_to: 1 ", "  round_up_to: 10000 "), name="r.yaml"), campaign)
    assert award_amount(("Lao động tiên tiến",), rounded.data.awards) == 710_000
    assert award_amount(("Tập thể lao động tiên tiến",), rounded.data.awards) == 1_880_000
    assert sum(a.amount for a in priced_awardees(rounded)) == 24_570_000 + 3_760_000 + 63_180_000 + 95 * 710_000
