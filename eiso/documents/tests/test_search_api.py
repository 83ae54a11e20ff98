"""Search through the selector and GET /api/v1/search: folded (diacritics, case, đ), ranked, scoped."""

import json

import pytest

from eiso.documents.choices import DocumentKind
from eiso.documents.selectors.search import search_for_user
from eiso.documents.services import revisions as svc
from eiso.organizations.choices import Role
from eiso.organizations.models import User
from eiso.organizations.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def body(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    return json.loads(response.content)


def make(agency, code, title, unit=None, content=None):
    document = svc.document_create(
        actor=None,
        agency=agency,
        code=code,
        title=title,
        kind=DocumentKind.OPERATIONAL_PROCEDURE,
        owner_unit=unit,
    )
    revision = None
    if content is not None:
        drafter = make_user(agency, [Role.QMS_SECRETARY])
        revision = svc.revision_create(actor=drafter, document=document, change_summary="Ban hành", content=content)
    return document, revision


@pytest.fixture
def corpus(agency_a, agency_b, unit_a, unit_b):
    a_doc, a_rev = make(
        agency_a,
        "QT-05",
        "Quy trình Đăng ký kinh doanh hộ cá thể",
        unit_a,
        content="Bộ phận Một cửa tiếp nhận hồ sơ, kiểm tra tính hợp lệ và trả kết quả.",
    )
    b_doc, b_rev = make(
        agency_b,
        "QT-09",
        "Quy trình cấp giấy phép xây dựng",
        unit_b,
        content="Thẩm định hồ sơ đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ.",
    )
    return {"a_doc": a_doc, "a_rev": a_rev, "b_doc": b_doc, "b_rev": b_rev}


def found(client, q, **params):
    data = body(client.get("/api/v1/search", {"q": q, **params}))
    return [(r["type"], r["id"]) for r in data["results"]], data


@pytest.mark.parametrize(
    "q",
    [
        "dang ky kinh doanh",
        "Đăng ký kinh doanh",
        "ĐĂNG KÝ KINH DOANH",
        "DANG KY",
        "đang ky",
        "đăng KÝ kinh doa",
        "ho ca the",
    ],
)
def test_search_ignores_diacritics_and_case(api_for, a_staff, corpus, q):
    hits, data = found(api_for(a_staff), q)
    assert ("document", corpus["a_doc"].pk) in hits
    assert data["count"] == len(hits)
    result = next(r for r in data["results"] if r["type"] == "document")
    assert result["title"] == "QT-05 Quy trình Đăng ký kinh doanh hộ cá thể"  # the original letters
    assert result["url"] == f"/documents/{corpus['a_doc'].pk}/"
    assert set(result) == {"type", "id", "title", "url", "snippet"}


def test_text_stored_without_diacritics_is_found_with_them(api_for, a_staff, agency_a):
    document, _rev = make(agency_a, "HD-01", "Huong dan dang ky ho tich")
    hits, _data = found(api_for(a_staff), "Hướng dẫn đăng ký hộ tịch")
    assert hits == [("document", document.pk)]


def test_revision_body_is_found_with_a_snippet_in_the_original_letters(api_for, a_staff, corpus):
    hits, data = found(api_for(a_staff), "tinh hop le", type="revision")
    assert hits == [("revision", corpus["a_rev"].pk)]
    assert "tính hợp lệ" in data["results"][0]["snippet"]
    assert b"\\u" not in api_for(a_staff).get("/api/v1/search", {"q": "tinh hop le"}).content


def test_title_matches_rank_above_body_matches(api_for, a_staff, agency_a, corpus):
    body_only, body_rev = make(
        agency_a,
        "QT-11",
        "Quy trình tiếp nhận phản ánh kiến nghị",
        content=("Nội dung về công tác tiếp dân và xử lý đơn thư. " * 5)
        + "Trường hợp liên quan chứng thực bản sao thì chuyển bộ phận khác.",
    )
    title_doc, _ = make(agency_a, "QT-12", "Quy trình chứng thực bản sao từ bản chính")
    hits, _data = found(api_for(a_staff), "chung thuc ban sao")
    assert hits[0] == ("document", title_doc.pk)
    assert hits.index(("revision", body_rev.pk)) > hits.index(("document", title_doc.pk))


def test_search_is_scoped_to_visible_agencies(api_for, corpus, a_staff, b_staff, overseer, q_overseer):
    everything = {
        ("document", corpus["a_doc"].pk),
        ("revision", corpus["a_rev"].pk),
        ("document", corpus["b_doc"].pk),
        ("revision", corpus["b_rev"].pk),
    }
    a_side = {("document", corpus["a_doc"].pk), ("revision", corpus["a_rev"].pk)}
    for user, expected in (
        (a_staff, a_side),
        (b_staff, everything - a_side),
        (overseer, everything),
        (q_overseer, set()),
    ):
        hits, data = found(api_for(user), "quy trinh")
        assert set(hits) == expected, user.username
        assert data["count"] == len(expected)
    # B never sees A's words, even when asking for them exactly.
    hits, data = found(api_for(b_staff), "Đăng ký kinh doanh hộ cá thể")
    assert hits == [] and data["count"] == 0
    assert b"kinh doanh" not in api_for(b_staff).get("/api/v1/search", {"q": "kinh doanh"}).content


def test_superuser_sees_every_agency(corpus):
    root = User.objects.create_superuser(username="root", password="x", email="root@example.gov.vn")
    hits, total = search_for_user(root, "quy trinh")
    assert total == 4 and len(hits) == 4


def test_type_filter_and_pagination(api_for, a_staff, agency_a):
    for n in range(7):
        make(agency_a, f"BM-{n:02}", f"Biểu mẫu hồ sơ số {n}", content=f"Hồ sơ lưu trữ mẫu {n}")
    client = api_for(a_staff)
    hits, data = found(client, "ho so", type="document", limit=3)
    assert data["count"] == 7 and len(hits) == 3 and {t for t, _ in hits} == {"document"}
    rest, _ = found(client, "ho so", type="document", limit=3, offset=6)
    assert len(rest) == 1 and not set(rest) & set(hits)
    _hits, data = found(client, "ho so")
    assert data["count"] == 14
    _hits, data = found(client, "ho so", type="external")
    assert data["count"] == 0


@pytest.mark.parametrize("q", ["", "   ", "!!!", '"đăng" OR * NEAR( -', "AND", "x" * 500, "ký_tự", "٣٤", "🙂"])
def test_odd_queries_never_fail(api_for, a_staff, corpus, q):
    response = api_for(a_staff).get("/api/v1/search", {"q": q})
    assert response.status_code == 200, response.content
    assert isinstance(body(response)["results"], list)


def test_bad_parameters_are_422(api_for, a_staff):
    client = api_for(a_staff)
    for params in (
        {},
        {"q": "x", "type": "novel"},
        {"q": "x", "limit": 0},
        {"q": "x", "limit": 101},
        {"q": "x", "offset": -1},
        {"q": "a\x00b"},
    ):
        response = client.get("/api/v1/search", params)
        assert response.status_code == 422, (params, response.content)
        assert body(response)["code"] == "invalid"


def test_staff_and_overseer_may_search_but_anonymous_may_not(client, api_for, corpus, a_staff, overseer):
    assert client.get("/api/v1/search", {"q": "quy trinh"}).status_code == 401
    for user in (a_staff, overseer):
        assert api_for(user).get("/api/v1/search", {"q": "quy trinh"}).status_code == 200


@pytest.mark.parametrize("q", ["QT-05", "qt 05", "qt-05 đăng ký"])
def test_codes_with_punctuation_are_found_on_every_database(api_for, a_staff, corpus, q):
    # PostgreSQL's parser reads `qt-05` as `qt` and the number `-05` unless the index cuts words
    # at punctuation as SQLite does.
    hits, _data = found(api_for(a_staff), q)
    assert ("document", corpus["a_doc"].pk) in hits


def test_legal_numbers_are_found_by_their_parts(api_for, a_staff, agency_a):
    document, _rev = make(agency_a, "QT-07", "Quy trình theo Nghị định 118/2025/NĐ-CP về một cửa")
    for q in ("118/2025/NĐ-CP", "118/2025/nd-cp", "nghi dinh 118", "nd-cp"):
        hits, _data = found(api_for(a_staff), q)
        assert hits == [("document", document.pk)], q
