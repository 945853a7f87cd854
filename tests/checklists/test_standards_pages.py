"""The standards pages: the access matrix, the list and detail, the export download and the import flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from apps.checklists.standards import Action, standard_workbook
from tests.checklists.conftest import Book, actions, column, db_counts, openpyxl_book, plan_of, sheets_of
from tests.checklists.files import pdf_bytes, upload

# --- pages ----------------------------------------------------------------------------------------------

ALL = [
    "admin",
    "office",
    "leader",
    "inspector",
    "unit",
    "unit_other",
    "street",
    "street_other",
    "community",
    "grid",
]
READERS = ["admin", "office", "leader", "inspector", "unit", "unit_other"]


def _expect(allowed: list[str], forbidden: list[str] = (), hidden: list[str] = ()) -> dict[str, int]:  # type: ignore[assignment]
    table = (
        {"anon": 302}
        | dict.fromkeys(allowed, 200)
        | dict.fromkeys(forbidden, 403)
        | dict.fromkeys(hidden, 404)
    )
    assert set(table) == {"anon", *ALL}
    return table


OUTSIDERS = ["street", "street_other", "community", "grid"]
PAGES = [
    ("standards:list", False, _expect(ALL)),
    ("standards:detail", True, _expect(READERS, hidden=OUTSIDERS)),
    ("standards:export", True, _expect(READERS, hidden=OUTSIDERS)),
    ("standards:import", False, _expect(["admin", "office"], forbidden=[*READERS[2:], *OUTSIDERS])),
]


@pytest.mark.parametrize(("url_name", "with_pk", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access_matrix(
    login: Any, book: Book, url_name: str, with_pk: bool, expected: dict[str, int]
) -> None:
    url = reverse(url_name, args=[book.standard.pk] if with_pk else [])
    got = {name: login(name).get(url).status_code for name in expected}
    assert got == expected


def test_anonymous_is_sent_to_login(client: Any, book: Book) -> None:
    url = reverse("standards:detail", args=[book.standard.pk])
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_grid_worker_sees_no_standard_in_the_list(login: Any, book: Book) -> None:
    assert list(login("grid").get(reverse("standards:list")).context["standards"]) == []
    assert list(login("unit").get(reverse("standards:list")).context["standards"]) == [book.standard]


def test_detail_shows_badges_requirements_and_filters_by_category(login: Any, book: Book) -> None:
    book.organisation.text_verified = True
    book.organisation.save()
    client = login("unit")
    url = reverse("standards:detail", args=[book.standard.pk])
    html = client.get(url).content.decode()
    for text in ["会议记录", "按年度", "同大类（城管）"]:
        assert text in html
    # One discreet mark per abridged item, explained once on this page; no provenance tags.
    assert html.count('href="#abridged-note"') == 2  # T-02, T-03; T-01 is verified
    assert "标 * 的 2 条为条款要点摘要" in html
    assert "待核实" not in html
    assert "来源" not in html
    only_c2 = client.get(url, {"category": "C2"}, headers={"HX-Request": "true"}).content.decode()
    assert "道路保洁" in only_c2
    assert "组织机构" not in only_c2
    assert "<html" not in only_c2


def test_export_downloads_an_xlsx_with_a_chinese_name(login: Any, book: Book) -> None:
    response = login("unit").get(reverse("standards:export", args=[book.standard.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "filename*=utf-8''%E6%B5%8B%E8%AF%95%E6%A0%87%E5%87%86" in response["Content-Disposition"]
    )  # 测试标准
    assert actions(plan_of(response.content)) == {Action.SAME}


def _kept_files() -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).glob("imports/standards/*/*.xlsx"))


def test_office_previews_then_confirms_an_import(login: Any, book: Book, actors: dict[str, Any]) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    sheets["条款"][3][column(sheets, "条款", "条款标题")] = "道路清扫保洁"
    client = login("office")
    url = reverse("standards:import")
    assert client.get(url).status_code == 200
    preview = client.post(url, {"file": upload("标准.xlsx", openpyxl_book(sheets))})
    assert preview.status_code == 200
    assert "条款标题：道路保洁 → 道路清扫保洁" in preview.content.decode()
    token = preview.context["token"]
    assert [p.parent.name for p in _kept_files()] == [str(actors["office"].pk)]
    book.cleaning.refresh_from_db()
    assert book.cleaning.title == "道路保洁"  # the preview wrote nothing
    done = client.post(url, {"token": token, "filename": "标准.xlsx"})
    assert done["Location"] == reverse("standards:detail", args=[book.standard.pk])
    book.cleaning.refresh_from_db()
    assert book.cleaning.title == "道路清扫保洁"
    assert _kept_files() == []


def test_confirm_with_someone_elses_token_writes_nothing(login: Any, book: Book) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    sheets["条款"][3][column(sheets, "条款", "条款标题")] = "道路清扫保洁"
    url = reverse("standards:import")
    token = login("office").post(url, {"file": upload("标准.xlsx", openpyxl_book(sheets))}).context["token"]
    response = login("admin").post(url, {"token": token})
    assert response.status_code == 400
    assert "上传的文件已失效" in response.content.decode()
    for forged in ["../../1/" + token, "x"]:
        assert login("admin").post(url, {"token": forged}).status_code == 400
    book.cleaning.refresh_from_db()
    assert book.cleaning.title == "道路保洁"


def test_bad_file_through_the_page_shows_errors_and_keeps_nothing(login: Any, book: Book) -> None:
    before = db_counts()
    response = login("office").post(reverse("standards:import"), {"file": upload("标准.xlsx", pdf_bytes())})
    html = response.content.decode()
    assert "没有导入任何内容" in html
    assert "这不是 Excel 工作簿" in html
    assert 'name="token"' not in html
    assert _kept_files() == []
    assert db_counts() == before


def test_unit_cannot_post_an_import(login: Any, book: Book) -> None:
    before = db_counts()
    sheets = sheets_of(standard_workbook(book.standard))
    sheets["条款"][1][0] = "NEW"
    response = login("unit").post(
        reverse("standards:import"), {"file": upload("x.xlsx", openpyxl_book(sheets))}
    )
    assert response.status_code == 403
    assert db_counts() == before
    assert _kept_files() == []
