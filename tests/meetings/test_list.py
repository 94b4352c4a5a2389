"""The meeting list: era dates, newest first, filters, constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import MeetingResult

from .factories import make_meeting
from .html import attr, by_id, by_tag, page, text

LIST = reverse("meetings:list")


def listed(client, **params):
    """The table's rows as lists of cell texts."""
    table = by_id(page(client.get(LIST, params)), "meeting-table")
    return [[text(td) for td in by_tag(tr, "td")] for tr in by_tag(by_tag(table, "tbody")[0], "tr")]


def subjects(client, **params):
    return [cells[1] for cells in listed(client, **params)]


@pytest.mark.django_db
def test_source_meeting_is_listed_with_era_date_linked_subject_place_and_result(
    viewer_client, source_data
):
    assert listed(viewer_client) == [
        [
            "令和4年11月1日",
            "新しい生活様式に対応した推進等 DX の推進",
            "議員全員協議会室",
            "報告を了承する",
        ],
        # Known from the papers by its date, name and the table it carried only.
        ["令和4年3月14日", "全体のスケジュール", "－", "－"],
    ]
    table = by_id(page(viewer_client.get(LIST)), "meeting-table")
    link = by_tag(by_tag(table, "tbody")[0], "a")[0]
    assert attr(link, "href") == reverse("meetings:detail", args=[1])


@pytest.mark.django_db
def test_columns_are_date_subject_place_result(viewer_client, source_data):
    table = by_id(page(viewer_client.get(LIST)), "meeting-table")

    assert [text(th) for th in by_tag(table, "th")] == ["会議日", "件名", "場所", "会議結果"]


@pytest.mark.django_db
def test_meetings_are_listed_newest_first(viewer_client):
    make_meeting(dt.date(2022, 6, 1), subject="六月")
    make_meeting(dt.date(2023, 1, 15), subject="一月")
    make_meeting(dt.date(2022, 11, 1), subject="十一月")

    assert subjects(viewer_client) == ["一月", "十一月", "六月"]


@pytest.mark.django_db
def test_sorting_by_result_follows_the_printed_order_of_the_boxes(viewer_client):
    make_meeting(subject="了承", result=MeetingResult.ACKNOWLEDGED)
    make_meeting(subject="決定", result=MeetingResult.DECIDED)
    make_meeting(subject="継続", result=MeetingResult.CONTINUE)

    assert subjects(viewer_client, sort="result") == ["決定", "継続", "了承"]


@pytest.mark.django_db
def test_filter_by_result_keeps_only_that_result(viewer_client, source_data):
    make_meeting(subject="継続案件", result=MeetingResult.CONTINUE)

    assert subjects(viewer_client, result=MeetingResult.CONTINUE) == ["継続案件"]
    assert subjects(viewer_client, result=MeetingResult.ACKNOWLEDGED) == [
        "新しい生活様式に対応した推進等 DX の推進"
    ]


@pytest.mark.django_db
def test_fiscal_year_choices_come_from_the_data_and_read_in_era_form(viewer_client):
    make_meeting(dt.date(2019, 4, 1))  # fiscal 2019: 令和元年度 though it began under 平成
    make_meeting(dt.date(2023, 3, 31))  # fiscal 2022
    make_meeting(dt.date(2023, 4, 1))  # fiscal 2023

    select = by_id(page(viewer_client.get(LIST)), "id_fiscal_year")
    options = [(attr(o, "value"), text(o)) for o in by_tag(select, "option")]

    assert options == [
        ("", "すべて"),
        ("2023", "令和5年度"),
        ("2022", "令和4年度"),
        ("2019", "令和元年度"),
    ]


@pytest.mark.django_db
def test_filter_by_fiscal_year_uses_april_to_march(viewer_client):
    make_meeting(dt.date(2022, 3, 31), subject="令和3年度末")
    make_meeting(dt.date(2022, 4, 1), subject="令和4年度初め")
    make_meeting(dt.date(2023, 3, 31), subject="令和4年度末")
    make_meeting(dt.date(2023, 4, 1), subject="令和5年度初め")

    assert subjects(viewer_client, fiscal_year="2022") == ["令和4年度末", "令和4年度初め"]


@pytest.mark.django_db
def test_unknown_fiscal_year_is_a_form_error_not_a_crash(viewer_client, source_data):
    response = viewer_client.get(LIST, {"fiscal_year": "1999"})

    assert response.status_code == 200
    assert response.context["filter"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["DX の推進", "協議会室", "看板の設置", "教育部局関係なく"])
def test_keyword_searches_subject_place_points_and_replies(viewer_client, source_data, word):
    make_meeting(subject="別の会議", place="第2会議室", points=(("別の論点", ""),))

    assert subjects(viewer_client, q=word) == ["新しい生活様式に対応した推進等 DX の推進"]


@pytest.mark.django_db
def test_keyword_matching_several_points_lists_the_meeting_once(viewer_client):
    make_meeting(subject="窓口", points=(("窓口の件", ""), ("窓口の人員", "窓口に配置")))

    assert subjects(viewer_client, q="窓口") == ["窓口"]


@pytest.mark.django_db
def test_filters_combine(viewer_client, source_data):
    make_meeting(dt.date(2022, 12, 1), subject="DX 継続", result=MeetingResult.CONTINUE)
    make_meeting(dt.date(2023, 12, 1), subject="DX 継続 翌年度", result=MeetingResult.CONTINUE)

    assert subjects(viewer_client, q="DX", result="continue", fiscal_year="2022") == ["DX 継続"]


@pytest.mark.django_db
def test_no_match_says_so(viewer_client, source_data):
    content = viewer_client.get(LIST, {"q": "該当なしの語"}).content.decode()

    assert "条件に合う会議はありません。" in content


@pytest.mark.django_db
def test_hostile_subject_is_escaped_in_the_list(viewer_client):
    make_meeting(subject="<script>alert(1)</script>")
    content = viewer_client.get(LIST).content.decode()

    assert "<script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_number_of_meetings(
    viewer_client, django_assert_max_num_queries
):
    make_meeting(points=(("a", "b"), ("c", "")))
    viewer_client.get(LIST)  # warm up per-session caches
    with CaptureQueriesContext(connection) as one_meeting:
        assert viewer_client.get(LIST).status_code == 200

    for day in range(29):
        make_meeting(
            dt.date(2021, 4, 1) + dt.timedelta(days=day * 20), points=(("a", "b"), ("c", ""))
        )
    with django_assert_max_num_queries(len(one_meeting)):
        response = viewer_client.get(LIST)
    assert len(response.context["table"].rows) == 30


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_points_or_history(
    viewer_client, django_assert_max_num_queries
):
    small = make_meeting(points=(("a", "b"),))
    viewer_client.get(reverse("meetings:detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as few:
        viewer_client.get(reverse("meetings:detail", args=[small.pk]))

    big = make_meeting(points=tuple((f"論点{i}", f"回答{i}") for i in range(30)))
    for point in big.points.all():
        point.reply += "（修正）"
        point.save()
    with django_assert_max_num_queries(len(few)):
        response = viewer_client.get(reverse("meetings:detail", args=[big.pk]))
    assert response.content.decode().count("→回答") == 30
