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


@pytest.fixture
def three_agencies(province):
    from eiso.organizations.tests.factories import AgencyFactory

    return [AgencyFactory(code=f"SC{i}", name=f"Sở {i}", province=province) for i in range(3)]


def _index(code, agency_id, title, body="", kind="document"):
    obj = Province.objects.create(code=code, name=code)
    search_index(obj=obj, agency_id=agency_id, kind=kind, title=title, body=body, url=f"/{code}")
    return obj


@pytest.mark.parametrize("spread", [False, True])
def test_scope_with_gaps_never_shows_an_agency_in_between(monkeypatch, three_agencies, spread):
    """The index is searched by ranges of consecutive agency ids (scope first); an agency lying
    between two visible ones stays out, whether the ranges are searched one by one or, when there
    are too many, over their whole span with each entry's agency checked."""
    from eiso.core import search

    if spread:  # SQLite: one span, the agency read from the rowid; PostgreSQL: agency_id checked on the rows
        monkeypatch.setattr(search, "MAX_RANGES", 1)
        monkeypatch.setattr(search, "SCOPE_LEXEMES_MAX", 1)
    first, middle, last = three_agencies
    for agency in three_agencies:
        _index(f"G{agency.pk}", agency.pk, "Thủ tục hành chính", "Hồ sơ thủ tục hành chính")
    _index("GNONE", None, "Thủ tục hành chính")  # no agency: a superuser's search only
    hits, total = search_query("thu tuc hanh chinh", agency_ids=[first.pk, last.pk])
    assert total == 2 and {h.url for h in hits} == {f"/G{first.pk}", f"/G{last.pk}"}
    hits, total = search_query("thu tuc hanh ch", agency_ids=[middle.pk])
    assert total == 1 and [h.url for h in hits] == [f"/G{middle.pk}"]
    assert search_query("thu tuc", agency_ids=None)[1] == 4


def test_an_entry_moved_to_another_agency_moves_in_the_index(three_agencies):
    first, middle, _last = three_agencies
    obj = _index("MV", first.pk, "Đăng ký khai sinh")
    search_index(obj=obj, agency_id=middle.pk, kind="document", title="Đăng ký khai sinh", body="", url="/MV")
    assert search_query("khai sinh", agency_ids=[first.pk]) == ([], 0)
    assert [h.url for h in search_query("khai sinh", agency_ids=[middle.pk])[0]] == ["/MV"]
    search_unindex(obj)
    assert search_query("khai sinh", agency_ids=[middle.pk]) == ([], 0)


@pytest.mark.parametrize(
    ("q", "expected"),
    [("đ", {"/P1", "/P2"}), ("Đă", {"/P1", "/P2"}), ("đăn", {"/P1"}), ("ĐĂNG", {"/P1"}), ("dang k", {"/P1"}),
     ("dang ky kin", {"/P1"}), ("đăng ký kinh do", {"/P1"}), ("dang ky kinh doa", {"/P1"}),
     ("dang ky kinh doan", {"/P1"}), ("ĐĂNG KÝ KINH DOANH", {"/P1"}), ("đo đạc địa chín", {"/P2"})],
)
def test_the_last_word_is_a_prefix_of_any_length(agency_a, q, expected):
    """Short prefixes are read from prefix entries of the index (a lexeme `dan_` on PostgreSQL, a
    prefix index on SQLite), longer ones by expansion: both find the same entries, `đ` as `d`."""
    _index("P1", agency_a.pk, "Đăng ký kinh doanh")
    _index("P2", agency_a.pk, "Kinh tế", "Đo đạc địa chính")
    hits, total = search_query(q, agency_ids=[agency_a.pk])
    assert {h.url for h in hits} == expected and total == len(expected)


def test_a_prefix_does_not_match_inside_or_across_words(agency_a):
    _index("W1", agency_a.pk, "Hộ tịch", "Cấp bản sao trích lục")
    assert search_query("ich", agency_ids=[agency_a.pk]) == ([], 0)  # `tich` does not begin with it
    assert search_query("ho tichx", agency_ids=[agency_a.pk]) == ([], 0)
    assert search_query("sao tri", agency_ids=[agency_a.pk])[1] == 1


def test_title_matches_come_first_then_the_newest(agency_a, agency_b):
    old_title = _index("R1", agency_a.pk, "Chứng thực bản sao", "")
    _index("R2", agency_a.pk, "Quy trình khác", "Có nhắc chứng thực bản sao")
    _index("R3", agency_b.pk, "Quy trình nữa", "Chứng thực bản sao điện tử")
    hits, total = search_query("chung thuc ban sao", agency_ids=[agency_a.pk, agency_b.pk])
    assert total == 3 and hits[0].url == f"/{old_title.code}"
    hits, total = search_query("chung thuc ban sao", agency_ids=[agency_a.pk, agency_b.pk], kinds=["record"])
    assert (hits, total) == ([], 0)


def test_words_that_look_like_scope_tokens_do_not_widen_the_scope(agency_a, agency_b):
    """An entry's own words never stand for its agency or kind: another agency's document that
    mentions ``ag<id>``, ``a<id>b0``, ``k<kind>`` or the same with ``_`` (the scope lexemes of
    PostgreSQL's index, before and since migrations 0010–0011) stays out of a search scoped to
    that agency or kind."""
    pk = agency_a.pk
    _index("SP1", agency_b.pk, "Biểu mẫu kinh doanh", f"Mã ag{pk} _a{pk} a{pk}b0 _a{pk}b0 krevision _krevision")
    _index("SP2", agency_a.pk, "Quy trình khác", "Không liên quan")
    for scope in ([agency_a.pk], [agency_a.pk, agency_a.pk + 1000]):
        assert search_query("bieu mau kinh", agency_ids=scope) == ([], 0)
        assert search_query("kinh doanh", agency_ids=scope) == ([], 0)
    assert search_query("bieu mau", agency_ids=[agency_b.pk], kinds=["revision"]) == ([], 0)
    assert search_query("bieu mau", agency_ids=None, kinds=["revision"]) == ([], 0)
    assert search_query("bieu mau", agency_ids=[agency_b.pk], kinds=["document"])[1] == 1


def test_a_word_too_long_to_be_indexed_matches_nothing(agency_a):
    """PostgreSQL indexes no word longer than 2047 bytes and drops it from a query: such a word
    must not leave the scope alone as the query (every entry of the agency)."""
    _index("LW1", agency_a.pk, "Đăng ký kinh doanh")
    for q in ["a" * 3000, "dang " + "b" * 3000, "đ" * 1500]:
        assert search_query(q, agency_ids=[agency_a.pk]) == ([], 0)
        assert search_query(q, agency_ids=None) == ([], 0)


def test_the_newest_entries_are_counted_first_and_older_ones_to_the_end(monkeypatch, agency_a):
    """PostgreSQL asks the index bucket by bucket of 16,384 ids, the newest first (migration 0010),
    and SQLite reads an agency's entries the newest first: when there are more matches than are
    counted, the newest make the window; when there are fewer, every bucket is read, the oldest too."""
    from eiso.core import search
    from eiso.core.models import SearchEntry

    ids = [5, 20_000, 40_000, 70_000, 70_001]  # buckets 0, 1, 2, 4 and 4 on PostgreSQL
    for new_id in ids:
        obj = _index(f"B{new_id}", agency_a.pk, f"Thủ tục hành chính số {new_id}")
        SearchEntry.objects.filter(object_id=str(obj.pk), url=f"/B{new_id}").update(id=new_id)
    hits, total = search_query("thu tuc hanh chinh", agency_ids=[agency_a.pk])
    assert total == 5 and {h.url for h in hits} == {f"/B{i}" for i in ids}
    hits, total = search_query("thu tuc hanh chinh so 5", agency_ids=[agency_a.pk])
    assert total == 1 and hits[0].url == "/B5"  # only in the oldest bucket: still found
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    hits, total = search_query("thu tuc hanh chinh", agency_ids=[agency_a.pk])
    assert total == 3  # COUNT_LIMIT + 1: "more than 2"
    assert {"/B70000", "/B70001"} <= {h.url for h in hits} and "/B5" not in {h.url for h in hits}


@pytest.mark.parametrize("newest_id", [1, 16_383, 16_384, 100_000, 1_000_000])
def test_bucket_runs_cover_every_bucket_once_the_newest_first(newest_id):
    from eiso.core.search import BUCKET_SHIFT, _bucket_runs

    runs = _bucket_runs(newest_id)
    buckets = [b for lo, hi in runs for b in range(hi, lo - 1, -1)]
    assert buckets == list(range(newest_id >> BUCKET_SHIFT, -1, -1))
    assert len(runs) <= 2 + (newest_id >> BUCKET_SHIFT).bit_length()  # runs double: a handful of queries


def test_a_search_leaves_the_planner_settings_as_they_were(agency_a):
    """PostgreSQL searches with sequential scans off (SET LOCAL, to the end of the transaction):
    a search inside a transaction puts the setting back for the queries after it."""
    from django.db import connection, transaction

    _index("PS1", agency_a.pk, "Thủ tục hành chính")
    if connection.vendor != "postgresql":
        assert search_query("thu tuc", agency_ids=[agency_a.pk])[1] == 1
        return
    with transaction.atomic(), connection.cursor() as cursor:
        assert search_query("thu tuc", agency_ids=[agency_a.pk])[1] == 1
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
def test_a_search_outside_a_transaction_leaves_the_setting_to_its_own_commit(agency_a):
    """Outside any transaction (a page's request) the search's own transaction ends its SET LOCAL:
    nothing to put back, one statement fewer; the setting is as it was afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _index("PS2", agency_a.pk, "Thủ tục hành chính")
    with CaptureQueriesContext(connection) as queries:
        assert search_query("thu tuc", agency_ids=[agency_a.pk])[1] == 1
    if connection.vendor != "postgresql":
        return
    assert [q["sql"] for q in queries.captured_queries if "set_config" in q["sql"]] == [
        next(q["sql"] for q in queries.captured_queries if "current_setting" in q["sql"])]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
