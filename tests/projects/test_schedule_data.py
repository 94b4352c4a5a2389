"""The loaded fixtures reproduce 全体のスケジュール of the 2022-11-01 papers (source-notes §2)."""

import pytest
from django.db import IntegrityError, transaction

from projects import selectors
from projects.models import BudgetLine, Category, FiscalYearPlan, ProgrammeYear, ScheduleItem

PRINTED = [
    # (category, item, budget lines, included in, status, concerns) as printed
    ("窓口フロントスタッフ", "申請書統合デジタル化（総合窓口）", [10000], None, "R4にかけて", []),
    (
        "窓口フロントスタッフ",
        "キャッシュレス",
        [8800],
        None,
        "完了予定",
        ["税について国が統一QRコードを検討している"],
    ),
    (
        "窓口フロントスタッフ",
        "オンライン窓口",
        [32215],
        None,
        "完了",
        ["職員のICTリテラシー向上が必要"],
    ),
    ("教育ICT", "遠隔学習・講座", [], "オンライン窓口", "完了", ["職員のICTリテラシー向上が必要"]),
    ("教育ICT", "遠隔面談・相談", [5395], None, "完了予定", []),
    ("教育ICT", "連絡のデジタル化", [2040], None, "完了予定", []),
    (
        "職員の生産性向上",
        "レイアウト変更",
        [52141],
        None,
        "完了予定",
        ["継続した働き方改革", "効果の検証"],
    ),
    ("職員の生産性向上", "書類整理", [], None, "継続", ["継続した書類整理が必要"]),
    (
        "職員の生産性向上",
        "浸透プログラム",
        [],
        "レイアウト変更",
        "完了",
        ["職員のICTリテラシー向上が必要"],
    ),
    ("業務継続", "通信環境整備", [14300], None, "完了", ["更新の際の経費"]),
    ("業務継続", "クラウドPBX", [16500], None, "R4継続", ["番号ポータビリティの遅延"]),
    ("業務継続", "電子決裁", [], None, "R4継続", ["総務、医療介護、教育部を先行で開始"]),
    (
        "業務継続",
        "テレワーク環境",
        [3802, 42004],
        None,
        "完了",
        ["テレワークの運用ルール", "更新の際の経費"],
    ),
]


def test_fixtures_hold_the_13_printed_items_in_4_categories_in_printed_order(source_data):
    assert list(Category.objects.values_list("name", flat=True)) == [
        "窓口フロントスタッフ",
        "教育ICT",
        "職員の生産性向上",
        "業務継続",
    ]
    rows = [
        (
            item.category.name,
            item.name,
            [line.amount for line in item.budget_lines.all()],
            item.included_in.name if item.included_in else None,
            item.status.name,
            [c.text for c in item.concerns.all()],
        )
        for item in selectors.schedule_items()
    ]
    assert rows == PRINTED


def test_budget_total_is_the_printed_187197_computed_from_the_budget_lines(source_data):
    # Source: the 計 row of 全体のスケジュール, 187,197 (thousand yen).
    assert selectors.budget_total() == 187_197
    assert BudgetLine.objects.count() == 10


PRINTED_PLANS = {
    # item: (令和3年度, 令和4年度, 令和5年度), each a list of the printed bullets
    "申請書統合デジタル化（総合窓口）": (
        ["総合窓口システム構築"],
        ["地域づくり活動センターに向けてトライ&エラー", "集約できる業務の拡大"],
        ["地域づくり活動センターでのスムーズな運用"],
    ),
    "キャッシュレス": (
        ["窓口手数料QR決済", "クレジットカード納付"],
        ["施設使用料等へも拡大できないか検討"],
        ["統一税QRコード対応"],
    ),
    "オンライン窓口": (
        ["予約システム構築", "オンライン会議環境構築"],
        ["地域づくり活動センターに向けてトライ&エラー"],
        ["地域づくり活動センターでのスムーズな運用"],
    ),
    "遠隔学習・講座": (["公民館ネットワーク整備", "遠隔学習試行"], ["オンライン講座運用"], None),
    "遠隔面談・相談": (["機器類調達"], ["運用"], None),
    "連絡のデジタル化": (
        ["システム構築"],
        ["出欠、早退連絡アプリ運用", "プリントのアプリ配信運用"],
        ["出欠、早退連絡アプリ運用", "プリントのアプリ配信運用"],
    ),
    "レイアウト変更": (["本庁レイアウト変更"], ["運用"], None),
    "書類整理": (["50%削減目標書類整理"], ["書類整理"], None),
    "浸透プログラム": (["全職員への浸透プログラム"], ["ICTリテラシー向上研修"], None),
    "通信環境整備": (["公民館行政用無線LAN構築"], ["運用"], None),
    "クラウドPBX": (["クラウドPBX構築"], ["10月頃から運用"], None),
    "電子決裁": (["全庁展開"], ["令和4年度上半期"], None),
    "テレワーク環境": (["システム構築"], ["運用"], None),
}


def test_plans_per_fiscal_year_are_as_printed(source_data):
    assert [str(y) for y in ProgrammeYear.objects.all()] == ["令和3年度", "令和4年度", "令和5年度"]
    plans = {
        (p.item.name, p.year.start_year): p.lines
        for p in FiscalYearPlan.objects.select_related("item", "year")
    }
    expected = {
        (name, year): lines
        for name, per_year in PRINTED_PLANS.items()
        for year, lines in zip((2021, 2022, 2023), per_year, strict=True)
        if lines is not None
    }
    assert plans == expected


def test_total_of_a_filtered_selection_counts_only_its_budget_lines(source_data):
    front = ScheduleItem.objects.filter(category__name="窓口フロントスタッフ")
    assert selectors.budget_total(front) == 10_000 + 8_800 + 32_215


def test_database_refuses_a_negative_budget(source_data):
    item = ScheduleItem.objects.get(name="キャッシュレス")
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(item=item, amount=-1)


def test_database_refuses_two_plans_for_the_same_item_and_year(source_data):
    plan = FiscalYearPlan.objects.select_related("item", "year").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        FiscalYearPlan.objects.create(item=plan.item, year=plan.year, content="重複")


def test_database_refuses_an_item_included_in_itself(source_data):
    item = ScheduleItem.objects.get(name="書類整理")
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduleItem.objects.filter(pk=item.pk).update(included_in=item.pk)


def test_database_refuses_an_empty_plan(source_data):
    item = ScheduleItem.objects.get(name="遠隔面談・相談")
    year = ProgrammeYear.objects.get(start_year=2023)
    with pytest.raises(IntegrityError), transaction.atomic():
        FiscalYearPlan.objects.create(item=item, year=year, content="")
