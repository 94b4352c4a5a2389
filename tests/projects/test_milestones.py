"""Section 7 of the papers as printed: periods (R03.11, R04.01〜R04.12, 1〜2年), the DX talent
table's three rows, the Ehime shared specialists, overdue steps and 「（すべて完了）」.

The papers (seed lines 176–201)::

    項目          R03.11        R03.12    R04.01~R04.12   1~2年                 それ以降
    AnotherWorks  連携協定      選考等    発足式          課題の洗い出し・…
    NTTドコモ     事前協議/調整 連携協定  課題の洗い出し・… 課題解決策・DX実施
    西予市        準備/調整               課題の洗い出し・… 課題解決策実施 DX実施

    項目 内容 R03.12 R04.03 R04.06 R04.09 R04.12 — 仕様検討・策定 (R04.03), 予算要求 (R04.09)
"""

import datetime as dt
import html as entities
import os
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags

from projects import selectors
from projects.models import Initiative, Milestone, Specialist
from projects.tables import InitiativeTable

SEED = "/work/shared/seed/000_e857ea722d9b45ee.txt"
ROADMAP = "課題の洗い出し・すり合わせ・ロードマップ作成"
AFTER_THE_MEETING = dt.date(2022, 11, 1)

# The DX talent table as printed: each row's steps by the period the papers head them with.
DX_TALENT = {
    "AnotherWorks": {
        "令和3年11月": ["連携協定"],
        "令和3年12月": ["選考等"],
        "令和4年1月〜12月": ["発足式"],
        "1〜2年": [ROADMAP],
    },
    "NTTドコモ": {
        "令和3年11月": ["事前協議/調整"],
        "令和3年12月": ["連携協定"],
        "令和4年1月〜12月": [ROADMAP],
        "1〜2年": ["課題解決策・DX実施"],
    },
    "西予市": {
        "令和3年11月": ["準備/調整"],
        "令和4年1月〜12月": [ROADMAP],
        "1〜2年": ["課題解決策実施 DX実施"],
    },
}

SPECIALISTS = [
    ("デザイン思考・UI・UX", "前田 総一郎", "福島県磐梯町CDO 補佐官、(株) Idea Craft 代表取締役"),
    (
        "システム・セキュリティ",
        "山形 巧哉",
        "デジタル庁 オープンデータ伝道師、(一社) Code for Japan、元北海道森町職員",
    ),
    (
        "データの利活用",
        "下山 紗代子",
        "(一社)リンクデータ代表理事、デジタル庁データスペシャリスト/ オープンデータ伝道師、"
        "総務省地域情報化アドバイザー",
    ),
    (
        "官民共創",
        "小田 理恵子",
        "(一社)官民共創未来コンソーシアム代表理事 (株)Public dots & Company 代表取締役",
    ),
    (
        "広報・マーケティング",
        "藤田 愛",
        "(株)オレンジ・アンド・パートナーズにおいて、地域ブランディング等に従事、独立",
    ),
]


def timeline(theme: str, day=AFTER_THE_MEETING) -> selectors.Timeline:
    (found,) = [t for t in selectors.timelines(selectors.initiatives(), day) if t.theme == theme]
    return found


def as_printed(found: selectors.Timeline) -> dict:
    return {
        initiative.row_label: {
            period: [row.milestone.title for row in cell]
            for period, cell in zip(found.periods, cells, strict=True)
            if cell
        }
        for initiative, cells in found.rows
    }


def test_the_dx_talent_table_keeps_its_three_rows_and_their_steps_per_period(source_data):
    found = timeline("DX人材")
    assert found.periods == ["令和3年11月", "令和3年12月", "令和4年1月〜12月", "1〜2年"]
    assert [initiative.row_label for initiative, _ in found.rows] == [
        "AnotherWorks",
        "NTTドコモ",
        "西予市",
    ]
    assert as_printed(found) == DX_TALENT


def test_the_website_review_is_dated_by_the_months_the_papers_head_it_with(source_data):
    found = timeline("ホームページ")
    assert found.periods == ["令和3年12月", "令和4年3月", "令和4年9月"]
    assert as_printed(found) == {
        "ホームページの見直し": {
            "令和3年12月": ["見直し案の検討"],
            "令和4年3月": ["仕様検討・策定"],
            "令和4年9月": ["予算要求"],
        }
    }


def test_no_milestone_carries_an_invented_day_or_a_period_in_its_text(source_data):
    assert not Milestone.objects.filter(precision=Milestone.Precision.DAY).exists()
    assert not Milestone.objects.filter(title__regex=r"R[0-9]{2}\.[0-9]{2}|[〜～~]").exists()
    divide = Initiative.objects.get(name="デジタルデバイド対策")
    # 「県のスマホ事業 11月から12月にかけて3回実施予定」
    assert [
        (r.period, r.milestone.title)
        for r in selectors.milestone_rows(divide, dt.date(2022, 11, 1))
    ] == [("令和4年11月〜12月", "県のスマホ事業（3回実施予定）")]


def test_the_ehime_shared_specialists_list_their_five_fields_as_printed(source_data):
    initiative = Initiative.objects.get(name="高度デジタル人材シェアリング事業")
    assert list(initiative.specialists.values_list("field", "name", "career")) == SPECIALISTS


@pytest.mark.skipif(not os.path.exists(SEED), reason="the source papers are not on this machine")
def test_the_specialists_and_the_talent_rows_are_the_seed_text():
    with open(SEED, encoding="utf-8") as seed:
        text = seed.read()
    for field, name, career in SPECIALISTS:
        # The papers put a stray space before 「・UI・UX」; the names and careers are verbatim.
        printed_field = re.escape(field).replace("・", r"\s*・")
        assert re.search("^" + printed_field + "\t\t<p>", text, re.M)
        assert f"<p>{name} {career}</p>" in text
    lines = text.splitlines()
    header = lines.index("項目\tR03.11\tR03.12\tR04.01~R04.12\t1~2年\tそれ以降")
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in lines[header + 1 : header + 4]}
    printed = ["令和3年11月", "令和3年12月", "令和4年1月〜12月", "1〜2年", "それ以降"]
    for partner, steps in DX_TALENT.items():
        cells = dict(zip(printed, rows[partner], strict=False))
        assert {period: [cell] for period, cell in cells.items() if cell} == steps


def test_pages_print_periods_as_the_papers_do_and_mark_late_steps(viewer_client, source_data):
    html = viewer_client.get("/schedule/initiatives/").content.decode()
    text = entities.unescape(strip_tags(html))
    assert "令和3年11月1日" not in text and "（R04.01" not in text
    # Today is after every period: the website's next step (R04.03) is late.
    assert re.search(r"令和4年3月　仕様検討・策定\s*期限超過", text)
    talent = html.split('data-theme="DX人材"', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', talent)
    assert headers == ["項目", "令和3年11月", "令和3年12月", "令和4年1月〜12月", "1〜2年"]
    assert "西予市" in talent and "課題解決策実施 DX実施" in talent
    for field, name, career in SPECIALISTS:
        assert field in text and name in text and career in text

    aw = Initiative.objects.get(short_name="AnotherWorks")
    page = strip_tags(viewer_client.get(f"/schedule/initiatives/{aw.pk}/").content.decode())
    assert re.search(r"令和3年11月\s*連携協定\s*完了", page)
    assert re.search(rf"1〜2年\s*{ROADMAP}\s*期限超過", page)


def test_a_past_step_not_done_is_overdue_as_of_the_date(source_data):
    website = Initiative.objects.get(name="ホームページの見直し")
    spec = website.milestones.get(title="仕様検討・策定")  # R04.03
    assert not spec.is_overdue(dt.date(2022, 3, 31))  # the month is not over yet
    assert spec.is_overdue(dt.date(2022, 4, 1))
    spec.done = True
    assert not spec.is_overdue(dt.date(2022, 4, 1))
    roadmap = Milestone.objects.get(initiative__short_name="NTTドコモ", title=ROADMAP)
    assert not roadmap.is_overdue(dt.date(2022, 12, 31))  # R04.01〜R04.12 runs to its end
    assert roadmap.is_overdue(dt.date(2023, 1, 1))
    assert not Milestone(starts_on=dt.date(2025, 1, 1), precision="open").is_overdue(
        dt.date(2030, 1, 1)
    )


def test_next_milestone_uses_the_start_of_the_period_and_all_done_needs_milestones(source_data):
    website = Initiative.objects.get(name="ホームページの見直し")
    # A span starting before the month steps comes first, whatever its end.
    Milestone.objects.create(
        initiative=website,
        title="事前調査",
        starts_on=dt.date(2022, 1, 1),
        precision="span",
        ends_on=dt.date(2022, 12, 31),
    )
    website = selectors.initiatives().get(pk=website.pk)
    row = selectors.next_milestone(website, AFTER_THE_MEETING)
    assert (row.period, row.milestone.title, row.overdue) == ("令和4年1月〜12月", "事前調査", False)

    table = InitiativeTable(selectors.initiatives(), day=AFTER_THE_MEETING)
    sharing = selectors.initiatives().get(name="高度デジタル人材シェアリング事業")
    assert not sharing.milestones.all()
    assert table.render_next_milestone(sharing) == "－"  # never 「（すべて完了）」 without steps
    Milestone.objects.create(
        initiative=sharing,
        title="ヒアリング",
        starts_on=dt.date(2022, 10, 1),
        precision="month",
        done=True,
    )
    sharing = selectors.initiatives().get(pk=sharing.pk)
    assert table.render_next_milestone(sharing) == "（すべて完了）"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"precision": "span"}, "終了日は時期の単位が「期間」のときだけ"),
        (
            {"precision": "month", "ends_on": dt.date(2022, 12, 31)},
            "終了日は時期の単位が「期間」のときだけ",
        ),
        ({"precision": "span", "ends_on": dt.date(2021, 12, 31)}, "終了日は開始日以降"),
        ({"precision": "month", "relative": True}, "「前の時期から数える」"),
        ({"precision": "week"}, "有効な選択肢ではありません"),
    ],
)
def test_a_period_that_makes_no_sense_is_refused_by_form_and_database(source_data, values, message):
    initiative = Initiative.objects.get(short_name="西予市")
    milestone = Milestone(initiative=initiative, title="x", starts_on=dt.date(2022, 1, 1), **values)
    with pytest.raises(ValidationError) as error:
        milestone.full_clean()
    assert message in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.bulk_create([milestone])


def test_a_month_or_fiscal_year_starts_on_its_first_day_whatever_day_is_typed(source_data):
    initiative = Initiative.objects.get(short_name="西予市")
    month = Milestone(
        initiative=initiative, title="x", starts_on=dt.date(2022, 11, 15), precision="month"
    )
    month.full_clean()
    assert month.starts_on == dt.date(2022, 11, 1) and month.label() == "令和4年11月"
    year = Milestone(
        initiative=initiative, title="y", starts_on=dt.date(2023, 2, 1), precision="fiscal_year"
    )
    year.full_clean()
    assert year.starts_on == dt.date(2022, 4, 1) and year.label() == "令和4年度"
    half = Milestone(
        initiative=initiative, title="z", starts_on=dt.date(2022, 11, 1), precision="fiscal_half"
    )
    half.full_clean()
    assert half.starts_on == dt.date(2022, 10, 1) and half.label() == "令和4年度下期"


def test_the_specialists_need_a_field_and_a_name(source_data):
    initiative = Initiative.objects.get(name="高度デジタル人材シェアリング事業")
    with pytest.raises(IntegrityError), transaction.atomic():
        Specialist.objects.create(initiative=initiative, field="", name="")


def test_an_editor_enters_the_precision_in_the_admin(editor_client, source_data):
    initiative = Initiative.objects.get(short_name="西予市")
    url = f"/admin/projects/initiative/{initiative.pk}/change/"
    html = editor_client.get(url).content.decode()
    assert 'name="milestones-0-precision"' in html and 'name="milestones-0-ends_on"' in html
    assert "期間（開始〜終了）" in html and "開始以降（終わりなし）" in html
