"""The search index of core, with provinces as indexed objects (a test of core that needs a later app)."""

import pytest

from eiso.core.search import query_terms, search_index, search_query, search_unindex, snippet
from eiso.organizations.models import Province

pytestmark = pytest.mark.django_db


def test_query_terms_are_folded():
    assert query_terms("Đăng KÝ  kinh-doanh!") == ["dang", "ky", "kinh", "doanh"]
    assert query_terms("  ") == []


def test_snippet_keeps_original_letters_around_the_match():
    body = "Phần mở đầu. " * 30 + "Hồ sơ gồm: Tờ khai đăng ký khai sinh theo mẫu."
    piece = snippet(body, ["khai", "sinh"])
    assert "Tờ khai đăng ký khai sinh" in piece and piece.startswith("…")


@pytest.fixture
def entries(agency_a, agency_b):
    objs = [Province.objects.create(code=f"S{i}", name=f"S{i}") for i in range(4)]
    search_index(obj=objs[0], agency_id=agency_a.pk, kind="document", title="Quy trình Đăng ký kinh doanh",
                 body="Nội dung về hộ kinh doanh cá thể.", url="/a0")
    search_index(obj=objs[1], agency_id=agency_a.pk, kind="revision", title="Quy trình chứng thực",
                 body="Trong phần nội dung có nhắc đến đăng ký kinh doanh một lần.", url="/a1")
    search_index(obj=objs[2], agency_id=agency_b.pk, kind="document", title="Đăng ký kinh doanh của Sở B",
                 body="", url="/b")
    search_index(obj=objs[3], agency_id=agency_a.pk, kind="document", title="Giấy phép xây dựng",
                 body="Đường Điện Biên Phủ", url="/a3")
    return objs


def test_diacritic_and_case_insensitive_ranked_and_scoped(entries, agency_a, agency_b):
    hits, total = search_query("dang ky kinh doanh", agency_ids=[agency_a.pk])
    assert total == 2
    assert [h.url for h in hits] == ["/a0", "/a1"]  # the title match ranks first
    assert all(h.url != "/b" for h in hits)
    hits, _ = search_query("DUONG dien bien", agency_ids=[agency_a.pk])  # đ folds to d
    assert [h.url for h in hits] == ["/a3"]
    hits, _ = search_query("kinh doa", agency_ids=[agency_b.pk])  # the last word may be a prefix
    assert [h.url for h in hits] == ["/b"]


def test_kinds_empty_scope_and_reindex(entries, agency_a):
    assert search_query("dang ky", agency_ids=[agency_a.pk], kinds=["revision"])[1] == 1
    assert search_query("dang ky", agency_ids=[]) == ([], 0)
    assert search_query("", agency_ids=None) == ([], 0)
    search_index(obj=entries[3], agency_id=agency_a.pk, kind="document", title="Giấy phép xây dựng",
                 body="Đường Lê Lợi", url="/a3")
    assert search_query("dien bien", agency_ids=[agency_a.pk])[1] == 0
    assert search_query("le loi", agency_ids=[agency_a.pk])[1] == 1
    search_unindex(entries[3])
    assert search_query("le loi", agency_ids=[agency_a.pk])[1] == 0


def test_query_syntax_characters_are_harmless(entries, agency_a):
    for q in ['"', "a AND", "OR NOT *", "kinh) (doanh", "x:y", "'; DROP TABLE x; --", "-", "^"]:
        search_query(q, agency_ids=[agency_a.pk])  # no exception


def test_large_result_sets_are_counted_up_to_the_limit(monkeypatch, agency_a):
    from eiso.core import search

    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search, "RANK_WINDOW", 4)
    for i in range(6):
        obj = Province.objects.create(code=f"L{i}", name=f"L{i}")
        search_index(obj=obj, agency_id=agency_a.pk, kind="document", title=f"Hồ sơ số {i}", body="", url=f"/l{i}")
    hits, total = search_query("ho so", agency_ids=[agency_a.pk])
    assert total == 4  # COUNT_LIMIT + 1: "more than 3"
    assert len(hits) == 4  # ranked within the window of 4 matches
    hits, total = search_query("ho so so 5", agency_ids=[agency_a.pk])
    assert total == 1 and hits[0].url == "/l5"
