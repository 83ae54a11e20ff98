"""The search page: highlighted, escaped, paginated, scoped; and the highlighting itself."""

import unicodedata

import pytest
from django.urls import reverse

from eiso.documents.choices import DocumentKind
from eiso.documents.services import revisions as svc
from eiso.documents.views.search import highlight
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user

URL = "/search/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def make(agency, code, title, content=None):
    document = svc.document_create(
        actor=None, agency=agency, code=code, title=title, kind=DocumentKind.OPERATIONAL_PROCEDURE
    )
    revision = None
    if content is not None:
        drafter = make_user(agency, [Role.QMS_SECRETARY])
        revision = svc.revision_create(actor=drafter, document=document, change_summary="Ban hành", content=content)
    return document, revision


# --- highlight (pure) ----------------------------------------------------------------------------


def test_highlight_wraps_folded_matches_in_the_original_letters():
    assert (
        highlight("Quy trình Đăng ký kinh doanh", ["dang", "ky"])
        == "Quy trình <mark>Đăng</mark> <mark>ký</mark> kinh doanh"
    )
    assert highlight("ĐĂNG KÝ", ["dang"]) == "<mark>ĐĂNG</mark> KÝ"
    # a prefix marks the beginning of the word only; a term inside a word is not a match
    assert highlight("kinh doanh, doanh nghiệp", ["doa"]) == "kinh <mark>doa</mark>nh, <mark>doa</mark>nh nghiệp"
    assert highlight("thủ tục", ["u"]) == "thủ tục"


def test_highlight_escapes_everything_but_its_own_marks():
    out = highlight('<script>alert("đăng ký")</script> & <b>', ["dang", "script"])
    assert out == (
        "&lt;<mark>script</mark>&gt;alert(&quot;<mark>đăng</mark> ký&quot;)&lt;/<mark>script</mark>&gt; &amp; &lt;b&gt;"
    )
    assert "<script" not in out and "<b>" not in out
    assert highlight("<i>", []) == "&lt;i&gt;"
    assert highlight("", ["x"]) == ""


def test_highlight_keeps_decomposed_accents_with_their_letters():
    text = unicodedata.normalize("NFD", "Đăng ký hộ tịch")  # as Word on some machines writes it
    out = highlight(text, ["ky", "ho"])
    assert unicodedata.normalize("NFC", out) == "Đăng <mark>ký</mark> <mark>hộ</mark> tịch"


def test_highlight_survives_folding_that_changes_length():
    assert (
        highlight("Straße ﬁle đường", ["strasse", "file", "duong"])
        == "<mark>Straße</mark> <mark>ﬁle</mark> <mark>đường</mark>"
    )


def test_highlight_merges_overlapping_terms():
    assert highlight("chứng thực", ["chung", "chu"]) == "<mark>chứng</mark> thực"


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_finds_highlights_and_labels(client_for, a_staff, agency_a):
    document, revision = make(
        agency_a,
        "QT-05",
        "Quy trình Đăng ký kinh doanh",
        content="Tiếp nhận hồ sơ đăng ký kinh doanh tại Bộ phận Một cửa.",
    )
    response = client_for(a_staff).get(URL, {"q": "dang ky kinh doanh"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 results for “dang ky kinh doanh”" in html
    assert "QT-05 Quy trình <mark>Đăng</mark> <mark>ký</mark> <mark>kinh</mark> <mark>doanh</mark>" in html
    assert "hồ sơ <mark>đăng</mark> <mark>ký</mark>" in html
    assert f'href="/documents/{document.pk}/"' in html and f'href="/revisions/{revision.pk}/"' in html
    assert ">Documents</span>" in html and ">Revisions</span>" in html
    assert "Search ignores diacritics and case" in html and "“dang ky” finds “Đăng ký”" in html


@pytest.mark.django_db
def test_the_page_escapes_titles_and_the_query(client_for, a_staff, agency_a):
    make(agency_a, "QT-66", "<img src=x onerror=alert(1)> Đăng ký")
    html = client_for(a_staff).get(URL, {"q": '"đăng" <ký>'}).content.decode()
    assert "<img src=x" not in html and "<ký>" not in html
    assert "1 result for “&quot;đăng&quot; &lt;ký&gt;”" in html
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>Đăng</mark> <mark>ký</mark>" in html


@pytest.mark.django_db
def test_no_results_and_empty_states(client_for, a_staff, agency_a):
    make(agency_a, "QT-05", "Quy trình Đăng ký kinh doanh")
    client = client_for(a_staff)
    html = client.get(URL, {"q": "khai sinh"}).content.decode()
    assert "0 results for “khai sinh”" in html and "No results for “khai sinh”." in html
    assert "Diacritics do not matter" in html
    html = client.get(URL, {"q": "khai sinh", "type": "revision"}).content.decode()
    assert "Search all types" in html
    html = client.get(URL).content.decode()
    assert "Type one or more words" in html and "<mark>" not in html


@pytest.mark.django_db
def test_the_page_is_scoped(client_for, b_staff, b_head, agency_a, agency_b, q_overseer, overseer):
    make(agency_a, "QT-05", "Quy trình Đăng ký kinh doanh bí mật Sở A", content="Nội dung riêng của Sở A")
    make(agency_b, "QT-01", "Quy trình cấp phép đăng ký xây dựng")
    for user in (b_staff, b_head, q_overseer):
        html = client_for(user).get(URL, {"q": "dang ky"}).content.decode()
        assert "bí mật Sở A" not in html and "riêng của Sở A" not in html and "QT-05" not in html, user.username
    html = client_for(overseer).get(URL, {"q": "dang ky"}).content.decode()
    assert "QT-05" in html and "QT-01" in html


@pytest.mark.django_db
def test_type_filter_and_pagination(client_for, a_staff, agency_a):
    for n in range(25):
        make(agency_a, f"BM-{n:02}", f"Biểu mẫu hộ tịch số {n}")
    make(agency_a, "QT-99", "Quy trình khác", content="Liên quan đến hộ tịch")
    client = client_for(a_staff)
    html = client.get(URL, {"q": "ho tich", "type": "document"}).content.decode()
    assert "25 results" in html and html.count('class="list-group-item') == 20 and "Showing 1–20 of 25" in html
    assert 'value="document" selected' in html
    html = client.get(URL, {"q": "ho tich", "type": "document", "page": 2}).content.decode()
    assert html.count('class="list-group-item') == 5 and "Showing 21–25 of 25" in html
    html = client.get(URL, {"q": "ho tich", "type": "document", "page": 99}).content.decode()
    assert "Showing 21–25 of 25" in html  # past the end: the last page
    html = client.get(URL, {"q": "ho tich", "type": "revision"}).content.decode()
    assert "1 result for" in html and "Liên quan đến <mark>hộ</mark> <mark>tịch</mark>" in html
    html = client.get(URL, {"q": "ho tich", "type": "bogus", "page": "x"}).content.decode()
    assert "26 results" in html


@pytest.mark.django_db
def test_htmx_gets_only_the_results(client_for, a_staff, agency_a):
    make(agency_a, "QT-05", "Quy trình Đăng ký kinh doanh")
    response = client_for(a_staff).get(URL, {"q": "dang ky"}, headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html
    assert "<mark>Đăng</mark>" in html


@pytest.mark.django_db
def test_login_required_and_the_top_bar_box(client, client_for, a_staff):
    response = client.get(URL, {"q": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert reverse("documents:search") == URL
    html = client_for(a_staff).get("/").content.decode()
    assert f'action="{URL}"' in html and 'name="q"' in html
