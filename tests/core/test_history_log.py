"""The change log reads like a log a clerk keeps (issue 19, first use).

The load from the papers is one entry per object, 「資料から読込（令和4年3月14日）」, its parts as
lines of it; fields a model declares internal are left out; the admin's versions show no empty
内容 and no column the form never fills.
"""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from core.history import change_log
from projects import selectors
from projects.models import ScheduleItem, Status


def _item(name: str) -> ScheduleItem:
    return ScheduleItem.objects.get(name=name)


def test_the_load_from_the_papers_is_one_entry_per_item_with_its_parts_as_lines(source_data):
    (entry,) = change_log(selectors.item_histories(_item("テレワーク環境").pk))

    assert entry.action == "資料から読込（令和4年3月14日）"
    assert entry.reason == "2022.3.14 行政経営戦略会議資料"
    assert entry.user == "（システム）" and entry.kind == "+"
    assert [(f.label, f.after) for f in entry.fields] == [
        ("区分", "業務継続"),
        ("項目", "テレワーク環境"),
        ("状況", "完了"),
        ("予算", "3,802"),
        ("予算", "42,004"),
        ("年度計画", "令和3年度 システム構築"),
        ("年度計画", "令和4年度 運用"),
        ("懸案", "テレワークの運用ルール"),
        ("懸案", "更新の際の経費"),
    ]


def test_a_later_change_by_a_person_stays_its_own_entry(source_data, editor):
    item = _item("キャッシュレス")
    line = item.budget_lines.get()
    line.amount = 9000
    line._history_user = editor
    line.save()

    newest, loaded = change_log(selectors.item_histories(item.pk))

    assert (newest.action, newest.user, newest.subject) == ("変更", "田中 花子", "予算")
    assert [(f.before, f.after) for f in newest.fields] == [("8,800", "9,000")]
    assert loaded.action == "資料から読込（令和4年3月14日）"


def test_a_model_declares_the_fields_left_out_of_its_log(source_data, editor, monkeypatch):
    status = Status.objects.get(name="継続")
    status.is_complete = not status.is_complete
    status._history_user = editor
    status.save()
    assert len(change_log([Status.history.filter(id=status.pk)])) == 2

    monkeypatch.setattr(Status, "history_log_excluded_fields", ("is_complete",), raising=False)
    assert len(change_log([Status.history.filter(id=status.pk)])) == 1


def test_the_item_page_shows_a_multi_line_plan_as_lines(viewer_client, source_data):
    html = viewer_client.get(reverse("projects:item", args=[_item("オンライン窓口").pk]))
    assert "令和3年度 予約システム構築<br>オンライン会議環境構築" in html.content.decode()


def _history_table(html: str) -> tuple[list[str], list[list[str]]]:
    start = html.index('<table id="change-history">')
    table = ElementTree.fromstring(html[start : html.index("</table>", start) + len("</table>")])
    heads = ["".join(th.itertext()).strip() for th in table.iter("th")]
    rows = [
        ["".join(td.itertext()).strip() for td in tr.iter("td")]
        for tr in table.find("tbody").iter("tr")
    ]
    return heads, rows


@pytest.mark.django_db
def test_the_admin_versions_show_the_logs_content_and_no_empty_column(
    editor_client, editor, source_data
):
    item = _item("キャッシュレス")
    item.order += 5  # 区分内の表示順 only: nothing the log shows
    item._history_user = editor
    item.save()
    item.name = "キャッシュレス決済"
    item._history_user = editor
    item.save()

    url = reverse("admin:projects_scheduleitem_history", args=[item.pk])
    heads, rows = _history_table(editor_client.get(url).content.decode())

    assert heads == ["版", "日時", "変更者", "操作", "内容（変更前 → 変更後）"]
    assert [row[3] for row in rows] == ["変更", "変更", "資料から読込（令和4年3月14日）"]
    renamed, order_only, loaded = (row[4] for row in rows)
    assert renamed == "項目：キャッシュレス → キャッシュレス決済"
    assert order_only.startswith("（記録する変更なし")
    assert "区分：窓口フロントスタッフ" in loaded and "2022.3.14 行政経営戦略会議資料" in loaded
    assert "表示順" not in loaded
    assert all(row[4] for row in rows)


def test_parts_loaded_without_their_object_make_one_entry_of_lines(source_data):
    """The admin's parts table: the item's parts from the papers, one entry, no link repeated."""
    item = _item("テレワーク環境")
    (entry,) = change_log(selectors.item_part_histories(item.pk), part_of=ScheduleItem)

    assert entry.action == "資料から読込（令和4年3月14日）"
    assert (entry.subject, entry.object_label) == ("予算・年度計画・懸案", "")
    assert [(f.label, f.after) for f in entry.fields] == [
        ("予算", "3,802"),
        ("予算", "42,004"),
        ("年度計画", "令和3年度 システム構築"),
        ("年度計画", "令和4年度 運用"),
        ("懸案", "テレワークの運用ルール"),
        ("懸案", "更新の際の経費"),
    ]
