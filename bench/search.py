"""Search benchmark (the second section of `make bench`; also runs alone: `python bench/search.py`).

For each database (SQLite var/bench/bench.sqlite3, then PostgreSQL eiso_bench when 127.0.0.1:5432
answers; or only BENCH_DATABASE_URL) it makes sure the database holds BENCH_SEARCH_ENTRIES (100,000)
revisions' worth of search entries: generated Vietnamese-like administrative text (a fixed-seed
generator, 150–400 words each, spread over 20 agencies of a benchmark province), inserted with bulk
SQL (executemany on SQLite, COPY on PostgreSQL) and kept between runs (rebuilt when missing or when
the generator changed). Then it runs a fixed list of realistic queries through
``eiso.core.search.search_query`` (count + first 20, ranked, with snippets) for two scopes: one
agency, and an overseer's province (all 20 agencies). The baseline, in the same run and with the
same scope: the same queries as a plain ``LIKE '%folded words%'`` scan over ``body_folded``
(count + first 20).

Figures never fail the run: the exit status is non-zero only when the benchmark itself breaks.
"""

import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# bench/ goes to the end of the import path, so a benchmark file named like a standard module
# (bench/calendar.py) never shadows it; run.py and load.py are still found.
sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE] + [str(HERE)]
sys.path.insert(0, str(ROOT))

ENTRIES = int(os.environ.get("BENCH_SEARCH_ENTRIES", "100000"))
# The large row (issue 15: a province at 1,000,000 entries, p95 < 100 ms): its own database
# (var/bench/bench-search-large.sqlite3, <name>_search_large on PostgreSQL), the province scope only,
# no scan (a LIKE scan of 1,000,000 bodies takes seconds per query). 0 switches it off.
LARGE = int(os.environ.get("BENCH_SEARCH_LARGE", "1000000"))
# On PostgreSQL only unless BENCH_SEARCH_LARGE_SQLITE=1: building it takes about 50 minutes on
# PostgreSQL (COPY, then the GIN index; 2 busy CPUs) and longer on SQLite (FTS5 row by row).
LARGE_SQLITE = os.environ.get("BENCH_SEARCH_LARGE_SQLITE") == "1"
TARGET_P95_LARGE_MS = 100.0
AGENCIES = 20
SEED = 20261120
GENERATOR_VERSION = 2  # change when the text generator changes: the cached entries are rebuilt
INDEX_RUNS = 2  # timed runs of each query through the index (after one warm-up run)
SCAN_RUNS = 1  # timed runs of each query as a scan
PAGE = 20
TARGET_P95_MS = 50.0
TARGET_RATIO = 20.0  # the province: ≥ 20× the scan (issue 15)
TARGET_RATIO_ONE = 1.0  # one agency: never slower than the scan (its scan reads only the agency's rows)
PROVINCE_CODE = "BENCH"
BENCH_MODEL = f"searchrevision_v{GENERATOR_VERSION}"  # content type of the benchmark entries

# --- the generated text ---------------------------------------------------------------------------

# Terms of Vietnamese public administration and of an ISO 9001 QMS, with their diacritics.
PHRASES = """đăng ký kinh doanh|thủ tục hành chính|hồ sơ|giấy phép xây dựng|chứng thực|hộ tịch|khai sinh|khai tử|
kết hôn|đất đai|quyền sử dụng đất|giấy chứng nhận|bộ phận một cửa|tiếp nhận hồ sơ|trả kết quả|thẩm định|
phê duyệt|lãnh đạo|chuyên viên|thời hạn giải quyết|ngày làm việc|lệ phí|phí|biểu mẫu|tờ khai|quy trình|
tiêu chuẩn|ISO 9001:2015|hệ thống quản lý chất lượng|cơ quan|Ủy ban nhân dân|Sở Tư pháp|Sở Xây dựng|văn bản|
quyết định|nghị định|thông tư|luật|căn cứ|trách nhiệm|phạm vi áp dụng|mục đích|định nghĩa|viết tắt|nội dung|
lưu hồ sơ|bổ sung|hoàn thiện|từ chối|lý do|công dân|tổ chức|doanh nghiệp|hộ kinh doanh|cá nhân|cấp phép|
gia hạn|điều chỉnh|thu hồi|cấp lại|bản sao|bản chính|chữ ký|con dấu|dịch vụ công trực tuyến|cổng dịch vụ công|
xác minh|kiểm tra|báo cáo|thống kê|nhà ở|công trình|môi trường|y tế|giáo dục|lao động|thương binh|xã hội|
bảo hiểm|thuế|tài chính|kế hoạch|đầu tư|nông nghiệp|giao thông|vận tải|văn hóa|thể thao|du lịch|nội vụ|
thanh tra|khiếu nại|tố cáo|phản ánh|kiến nghị|quốc tịch|lý lịch tư pháp|con nuôi|giám hộ|nhận cha mẹ con|
thay đổi cải chính|trích lục|số hóa|điện tử|chữ ký số|mã hồ sơ|phiếu hẹn|phiếu kiểm soát|sổ theo dõi|
đánh giá|cải tiến|khắc phục|rủi ro|cơ hội|mục tiêu chất lượng|chính sách chất lượng|xem xét của lãnh đạo|
đánh giá nội bộ|sự không phù hợp|hành động khắc phục|đường bộ|phương tiện|đăng kiểm|hộ chiếu|cư trú|
thường trú|tạm trú|căn cước|đấu giá|công chứng|luật sư|trợ giúp pháp lý|hòa giải|bồi thường|giải phóng mặt bằng|
quy hoạch|sổ đỏ|thừa kế|tặng cho|chuyển nhượng|thế chấp|tín dụng|ngân sách|kho bạc|học bổng|tuyển sinh|
khám chữa bệnh|an toàn thực phẩm|vệ sinh|phòng cháy chữa cháy|an ninh trật tự""".replace("\n", "").split("|")

FILLERS = """và|của|các|cho|được|theo|trong|với|tại|khi|để|có|không|đã|sẽ|này|đó|từ|đến|về|trên|người|việc|
thực hiện|quy định|đối với|trường hợp|liên quan|đảm bảo|yêu cầu|cần thiết|đầy đủ|chính xác|kịp thời|
theo dõi|giải quyết|xử lý|hướng dẫn|chuyển|gửi|nhận|ký|ban hành|áp dụng|tổng hợp|phối hợp|chủ trì|đơn vị|
phòng|ban|ngày|tháng|năm|số|điều|khoản|mục|lần|bước|những|một|hai|ba|mỗi|tất cả|trước|sau|hoặc|nếu|
thì|là|bằng|qua|do|vào|ra|lại|cùng|đồng thời|ngay|trong vòng|chậm nhất|kể từ|đúng|hợp lệ|còn thiếu""".replace(
    "\n", ""
).split("|")

KINDS_OF_PROCEDURE = ["Quy trình", "Hướng dẫn", "Biểu mẫu", "Quy định", "Kế hoạch"]


def _fold(text: str) -> str:
    """The folded form the search index stores (eiso.core.search.fold_for_index)."""
    from eiso.core.search import fold_for_index

    return fold_for_index(text)


class Generator:
    """Entries of search text, the same on every run (fixed seed).

    Words are drawn with a Zipf-like weight (function words most, then administrative terms), made
    into a pool of sentences once; an entry is a run of pooled sentences, every fourth one led by
    one of the entry's three topic terms, so a procedure's subject recurs in it as in real text.
    """

    POOL = 30_000

    def __init__(self, seed: int = SEED):
        self.rng = rng = random.Random(seed)
        phrases = PHRASES[:]
        random.Random(seed + 1).shuffle(phrases)
        words = FILLERS + phrases
        folded = [_fold(w) for w in words]
        sizes = [w.count(" ") + 1 for w in words]
        weights = [6.0 / (1 + i) ** 0.5 for i in range(len(FILLERS))]
        weights += [2.0 / (1 + i) ** 0.8 for i in range(len(phrases))]
        ids = list(range(len(words)))
        self.sentences = []  # (text, capitalised text, folded text, words)
        for _ in range(self.POOL):
            chunk = rng.choices(ids, weights=weights, k=rng.randint(7, 18))
            text = " ".join([words[t] for t in chunk])
            self.sentences.append(
                (
                    text,
                    text[:1].upper() + text[1:],
                    " ".join([folded[t] for t in chunk]),
                    sum(sizes[t] for t in chunk),
                )
            )
        self.topics = [(p[:1].upper() + p[1:], _fold(p), p.count(" ") + 1, p) for p in phrases]

    def entry(self, n: int) -> tuple[str, str, str, str, int]:
        """(title, body, title_folded, body_folded, words) of the ``n``-th entry."""
        rng, sentences = self.rng, self.sentences
        topic = [self.topics[i] for i in rng.sample(range(len(self.topics)), 3)]
        kind = KINDS_OF_PROCEDURE[n % len(KINDS_OF_PROCEDURE)]
        title = f"QT-{n % 97 + 1:02d} {kind} {topic[0][3]} {topic[1][3]} — lần ban hành {n % 7 + 1}"
        target = rng.randint(150, 400)  # words
        body, body_folded, count = [], [], 0
        for j, k in enumerate(rng.choices(range(self.POOL), k=60)):
            text, capitalised, low, size = sentences[k]
            if j % 4 == 1:
                lead, lead_low, lead_size, _original = topic[j % 3]
                body.append(f"{lead} {text}.")
                body_folded.append(f"{lead_low} {low} ")
                size += lead_size
            else:
                body.append(capitalised + ".")
                body_folded.append(low + " ")
            count += size
            if count >= target:
                break
        return title, " ".join(body), _fold(title), " ".join(body_folded), count


# Realistic queries: 1–4 words, with and without diacritics, some typed halfway (prefix).
QUERIES = [
    "đăng ký kinh doanh",
    "dang ky kinh doanh",
    "thủ tục hành chính",
    "thu tuc hanh chinh",
    "hồ sơ",
    "ho so",
    "giấy phép xây dựng",
    "giay phep xay dung",
    "chứng thực",
    "chung thuc",
    "hộ tịch",
    "ho tich",
    "khai sinh",
    "khai tu",
    "kết hôn",
    "ket hon",
    "quyền sử dụng đất",
    "quyen su dung dat",
    "bộ phận một cửa",
    "mot cua",
    "thời hạn giải quyết",
    "lệ phí",
    "le phi",
    "tờ khai",
    "biểu mẫu",
    "bieu mau",
    "lý lịch tư pháp",
    "ly lich tu phap",
    "con nuôi",
    "thay đổi cải chính",
    "trích lục",
    "chữ ký số",
    "dịch vụ công trực tuyến",
    "dich vu cong",
    "khiếu nại tố cáo",
    "khieu nai",
    "hành động khắc phục",
    "sự không phù hợp",
    "đánh giá nội bộ",
    "mục tiêu chất lượng",
    "ISO 9001",
    "Quốc tịch",
    "GIÁM HỘ",
    "cấp lại bản sao",
    "thu hồi giấy phép",
    "đăng k",
    "chứng th",
    "giay ph",
    "khai s",
    "phòng cháy chữa ch",
]


# --- building the entries -------------------------------------------------------------------------


def _agencies():
    from eiso.organizations.choices import AgencyLevel
    from eiso.organizations.models import Agency, Province

    province, _created = Province.objects.get_or_create(
        code=PROVINCE_CODE, defaults={"name": "Tỉnh Thử Nghiệm (benchmark)"}
    )
    names = [
        "Sở Tư pháp",
        "Sở Xây dựng",
        "Sở Tài chính",
        "Sở Nội vụ",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Sở Nông nghiệp và Môi trường",
        "Sở Công Thương",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Khoa học và Công nghệ",
        "Sở Dân tộc và Tôn giáo",
        "Thanh tra tỉnh",
        "Văn phòng UBND tỉnh",
        "UBND phường Trung Tâm",
        "UBND phường Bắc Sơn",
        "UBND xã Hòa Bình",
        "UBND xã Tân Lập",
        "UBND xã Đông Hưng",
        "UBND xã Phú Cường",
        "Trung tâm Phục vụ hành chính công",
    ]
    agencies = []
    for i, name in enumerate(names[:AGENCIES]):
        agency = Agency.objects.filter(code=f"BENCH-{i + 1:02d}").first()
        if agency is None:
            agency = Agency(
                code=f"BENCH-{i + 1:02d}",
                name=f"{name} (benchmark)",
                province=province,
                level=AgencyLevel.DEPARTMENT if i < 13 else AgencyLevel.COMMUNE_PC,
            )
            agency.save()
        agencies.append(agency.pk)
    return agencies


def _content_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_or_create(app_label="bench", model=BENCH_MODEL)[0]


def _is_built(ct_id: int) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_searchentry WHERE content_type_id = %s", [ct_id])
        count = cursor.fetchone()[0]
        if count != ENTRIES:
            return False
        cursor.execute(
            "SELECT title, body FROM core_searchentry WHERE content_type_id = %s AND object_id = %s",
            [ct_id, "0"],
        )
        row = cursor.fetchone()
    expected = Generator().entry(0)
    return row is not None and row[0] == expected[0] and row[1] == expected[1]


def _stale_entries() -> None:
    """Entries of an older generator or size: removed before building again."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    stale = list(ContentType.objects.filter(app_label="bench").values_list("pk", flat=True))
    if stale:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM core_searchentry WHERE content_type_id IN ({', '.join(['%s'] * len(stale))})",
                stale,
            )
        ContentType.objects.filter(pk__in=stale).delete()


def _index_sql() -> str:
    """The newest migration's CREATE INDEX of the search vector (PostgreSQL)."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app, name in sorted(loader.disk_migrations, reverse=True):
        if app == "core":
            module = importlib.import_module(f"eiso.core.migrations.{name}")
            for sql in getattr(module, "POSTGRES", []):
                if "INDEX core_searchentry_vector_idx" in sql and sql.lstrip().startswith("CREATE"):
                    return sql
    raise RuntimeError("no migration of core creates core_searchentry_vector_idx")


def build(engine: str) -> dict:
    """Make sure the entries are there; returns facts for the report."""
    from django.db import connection, transaction
    from django.utils import timezone

    agencies = _agencies()
    ct = _content_type()
    if _is_built(ct.pk):
        return {"built_s": None, "agencies": agencies}
    print(f"building {ENTRIES:,} entries (once; kept in the database for the next runs) …", flush=True)
    started = time.perf_counter()
    _stale_entries()
    ct = _content_type()
    generator = Generator()
    agency_rng = random.Random(SEED + 2)
    weights = [1 + (k % 5) for k in range(len(agencies))]  # agencies of different sizes
    now = timezone.now()
    batch_size = 2000
    columns = (
        "content_type_id",
        "object_id",
        "agency_id",
        "kind",
        "title",
        "body",
        "url",
        "title_folded",
        "body_folded",
        "updated_at",
    )
    words = 0
    index_sql = None
    if engine == "PostgreSQL":  # a GIN index is built far faster at once than row by row
        with connection.cursor() as cursor:
            # as the migrations left it (0010: over the vector and the entry's bucket of ids)
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'core_searchentry_vector_idx'")
            row = cursor.fetchone()
            index_sql = row[0] if row else _index_sql()  # None: an earlier build stopped half way
            cursor.execute("DROP INDEX IF EXISTS core_searchentry_vector_idx")
    for start in range(0, ENTRIES, batch_size):
        rows = []
        for n in range(start, min(start + batch_size, ENTRIES)):
            title, body, title_folded, body_folded, count = generator.entry(n)
            words += count
            agency = agency_rng.choices(agencies, weights=weights)[0]
            rows.append(
                (
                    ct.pk,
                    str(n),
                    agency,
                    "revision",
                    title,
                    body,
                    f"/revisions/{n}/",
                    title_folded,
                    body_folded,
                    now,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            if engine == "PostgreSQL":
                with cursor.cursor.copy(f"COPY core_searchentry ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO core_searchentry ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                    rows,
                )
        done = min(start + batch_size, ENTRIES)
        if done % 20000 == 0 or done == ENTRIES:
            print(f"  {done:,} entries ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        if engine == "PostgreSQL":  # the index as it was
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(index_sql)
        cursor.execute("ANALYZE" if engine == "PostgreSQL" else "ANALYZE core_searchentry")
    return {"built_s": time.perf_counter() - started, "agencies": agencies, "words": words}


# --- measuring --------------------------------------------------------------------------------------


def _scan(q: str, agency_ids: list[int]) -> int:
    """The baseline: what a search without an index does (count + first page)."""
    from django.db import connection

    from eiso.core.search import query_terms

    pattern = "%" + " ".join(query_terms(q)) + "%"
    scope = f"agency_id IN ({', '.join(['%s'] * len(agency_ids))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM core_searchentry WHERE {scope} AND body_folded LIKE %s",
            [*agency_ids, pattern],
        )
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT id, kind, object_id, title, url, body FROM core_searchentry "
            f"WHERE {scope} AND body_folded LIKE %s ORDER BY id LIMIT %s",
            [*agency_ids, pattern, PAGE],
        )
        cursor.fetchall()
    return total


def _timed(call, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(scopes: dict[str, list[int]], scan: bool = True) -> dict:
    from eiso.core.search import search_query

    results = {}
    for label, ids in scopes.items():
        hits_total = 0
        for q in QUERIES:  # warm-up: caches as in a running server
            hits_total += search_query(q, agency_ids=ids, limit=PAGE)[1]
        index_ms, scan_ms, per_query = [], [], {}
        for q in QUERIES:
            times = _timed(lambda q=q, ids=ids: search_query(q, agency_ids=ids, limit=PAGE), INDEX_RUNS)
            index_ms += times
            per_query[q] = min(times)
        if scan:
            _scan(QUERIES[0], ids)  # warm-up of the table pages
            for q in QUERIES:
                scan_ms += _timed(lambda q=q, ids=ids: _scan(q, ids), SCAN_RUNS)
        slowest = sorted(per_query.items(), key=lambda item: -item[1])[:4]
        results[label] = {"index": index_ms, "scan": scan_ms, "hits": hits_total / len(QUERIES), "slowest": slowest}
    return results


def report(engine: str, shown: str, facts: dict, scopes: dict, results: dict, large: bool = False) -> None:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_searchentry")
        all_entries = cursor.fetchone()[0]
    built = (
        f"built in {facts['built_s']:.0f} s ({facts['words'] / 1e6:.1f} M words)"
        if facts["built_s"]
        else "reused from an earlier run"
    )
    prefix = sum(1 for q in QUERIES if q in ("đăng k", "chứng th", "giay ph", "khai s", "phòng cháy chữa ch"))
    print(
        f"\nentries : {ENTRIES:,} generated revision entries over {AGENCIES} agencies ({all_entries:,} in the "
        f"index in all), 150–400 words each, {built}"
    )
    print(
        f"queries : {len(QUERIES)} fixed queries (1–4 words, with and without diacritics, {prefix} prefix); "
        f"index: eiso.core.search.search_query (count + first {PAGE}, ranked, snippets), "
        f"{INDEX_RUNS} timed runs each after a warm-up"
    )
    print(
        f"baseline: the same queries as LIKE '%folded words%' over body_folded, same scope "
        f"(count + first {PAGE}), {SCAN_RUNS} timed run each, same process"
    )
    print(
        f"machine : {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, Python {sys.version.split()[0]}, "
        f"Django {django.get_version()}, {engine}"
    )
    print(
        f"target  : p95 < {TARGET_P95_MS:g} ms, and ≥ {TARGET_RATIO:g}× faster than the scan for the province, "
        f"never slower than it (≥ {TARGET_RATIO_ONE:g}×) for one agency\n"
    )
    header = (
        f"{'scope':<30}{'method':<8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'scan/index p50':>16}"
        f"{'scan/index p95':>16}  target"
    )
    print(header)
    print("-" * len(header))
    for label, figures in results.items():
        index, scan = figures["index"], figures["scan"]
        name = f"{label} ({len(scopes[label])} agenc{'y' if len(scopes[label]) == 1 else 'ies'})"
        if large:
            met = _percentile(index, 95) < TARGET_P95_LARGE_MS
            print(
                f"{name:<30}{'index':<8}{_percentile(index, 50):>9.1f}{_percentile(index, 95):>9.1f}"
                f"{max(index):>9.1f}{'-':>16}{'-':>16}  {'met' if met else 'NOT met'}"
                f" (p95 < {TARGET_P95_LARGE_MS:g} ms)"
            )
            print(f"{'':<30}{'scan':<8}  not run at {ENTRIES:,} entries (seconds per query)")
            print(
                f"{'':<30}(average {figures['hits']:,.0f} hits per query; slowest through the index: "
                + ", ".join(f"'{q}' {ms:.0f} ms" for q, ms in figures["slowest"])
                + ")"
            )
            continue
        r50 = _percentile(scan, 50) / _percentile(index, 50) if _percentile(index, 50) > 0 else math.nan
        r95 = _percentile(scan, 95) / _percentile(index, 95) if _percentile(index, 95) > 0 else math.nan
        ratio = TARGET_RATIO_ONE if len(scopes[label]) == 1 else TARGET_RATIO
        met = _percentile(index, 95) < TARGET_P95_MS and r95 >= ratio
        print(
            f"{name:<30}{'index':<8}{_percentile(index, 50):>9.1f}{_percentile(index, 95):>9.1f}"
            f"{max(index):>9.1f}{r50:>15.1f}×{r95:>15.1f}×  {'met' if met else 'NOT met'}"
        )
        print(f"{'':<30}{'scan':<8}{_percentile(scan, 50):>9.1f}{_percentile(scan, 95):>9.1f}{max(scan):>9.1f}")
        print(
            f"{'':<30}(average {figures['hits']:,.0f} hits per query; slowest through the index: "
            + ", ".join(f"'{q}' {ms:.0f} ms" for q, ms in figures["slowest"])
            + ")"
        )
    print(f"\n(database: {shown})")


def run_one() -> int:
    """In a process whose environment points at one database (DATABASE_URL)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    shown = connection.settings_dict["NAME"]
    large = "--large" in sys.argv[1:]
    facts = build(engine)
    agencies = facts["agencies"]
    scopes = {"one agency": [agencies[len(agencies) // 2]], "overseer's province": list(agencies)}
    if large:
        scopes = {"overseer's province": list(agencies)}
    started = time.perf_counter()
    results = measure(scopes, scan=not large)
    print(f"measured in {time.perf_counter() - started:.0f} s", flush=True)
    report(engine, shown, facts, scopes, results, large=large)
    if not large:
        compare_tantivy(scopes, results)
    return 0


def compare_tantivy(scopes: dict[str, list[int]], results: dict) -> None:
    """The embedded engine on the same entries and queries (bench/search_tantivy.py), when installed
    and not switched off (BENCH_SEARCH_TANTIVY=0)."""
    if os.environ.get("BENCH_SEARCH_TANTIVY", "1") == "0":
        return
    try:
        import tantivy  # noqa: F401
    except ImportError:
        print("\n(tantivy is not installed: the embedded-engine comparison is skipped)")
        return
    import search_tantivy

    other = search_tantivy.compare(scopes, QUERIES, INDEX_RUNS, _timed)
    print(
        f"\ncompare : tantivy (embedded, its Python binding) on the same {other['entries']:,} entries and "
        f"queries, same semantics (every word in title or body, last word a prefix, agency filter, "
        f"count + first {PAGE} by BM25 with titles 4×, entries and snippets read from the table); "
        f"index built in {other['built_s']:.0f} s, {other['bytes'] / 1e6:.0f} MB on local disk"
    )
    header = f"{'scope':<30}{'engine':<10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    print(header)
    print("-" * len(header))
    for label, figures in results.items():
        name = f"{label} ({len(scopes[label])} agenc{'y' if len(scopes[label]) == 1 else 'ies'})"
        index, embedded = figures["index"], other["results"][label]["times"]
        print(
            f"{name:<30}{'database':<10}{_percentile(index, 50):>9.1f}{_percentile(index, 95):>9.1f}"
            f"{max(index):>9.1f}"
        )
        print(
            f"{'':<30}{'tantivy':<10}{_percentile(embedded, 50):>9.1f}{_percentile(embedded, 95):>9.1f}"
            f"{max(embedded):>9.1f}  (slowest: "
            + ", ".join(f"'{q}' {ms:.0f} ms" for q, ms in other["results"][label]["slowest"])
            + ")"
        )


# --- every database ---------------------------------------------------------------------------------


def main(targets: list[str] | None = None) -> int:
    import run

    run.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if targets is None:
        explicit = os.environ.get("BENCH_DATABASE_URL")
        targets = [explicit] if explicit else [f"sqlite:///{run.BENCH_DIR / 'bench.sqlite3'}"]
        if not explicit and run._reachable(run.HOST, 5432):
            targets.append(run.POSTGRES_DEFAULT)
    status = 0
    for url in targets:
        engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        print(f"\n=== eISO search benchmark on {engine} ===", flush=True)
        started = time.perf_counter()
        if engine == "PostgreSQL":
            run._ensure_postgres_database(url)
        env = run._environment(url)
        try:
            run._eiso(env, "migrate", "--no-input", "-v", "0")
        except RuntimeError as exc:
            print(
                f"{exc}\n(the benchmark database cannot be migrated, e.g. after migrations were rewritten: "
                f"delete it — {url.split('?')[0]} — and run again; the entries are rebuilt)"
            )
            status = 1
            continue
        done = subprocess.run(
            [sys.executable, "-P", str(Path(__file__).resolve()), "--one"], cwd=ROOT, env=env, check=False
        )
        if done.returncode != 0:
            print(f"(search benchmark on {engine} failed with status {done.returncode})")
            status = 1
        print(f"(search benchmark on {engine}: {time.perf_counter() - started:.0f} s in all)", flush=True)
        if LARGE and LARGE != ENTRIES and (engine == "PostgreSQL" or LARGE_SQLITE):
            status = max(status, _large(url, engine))
    return status


def _large_url(url: str) -> str:
    import run

    if url.startswith("postgres"):
        base, _slash, name = url.partition("?")[0].rpartition("/")
        return f"{base}/{name}_search_large"
    return f"sqlite:///{run.BENCH_DIR / 'bench-search-large.sqlite3'}"


def _large(url: str, engine: str) -> int:
    """The province at LARGE entries, in a database of its own (kept between runs)."""
    import run

    large_url = _large_url(url)
    print(f"\n=== eISO search benchmark on {engine}, {LARGE:,} entries (province) ===", flush=True)
    started = time.perf_counter()
    if engine == "PostgreSQL":
        run._ensure_postgres_database(large_url)
    env = run._environment(large_url)
    env["BENCH_SEARCH_ENTRIES"] = str(LARGE)
    try:
        run._eiso(env, "migrate", "--no-input", "-v", "0")
    except RuntimeError as exc:
        print(f"{exc}\n(delete {large_url.split('?')[0]} and run again)")
        return 1
    done = subprocess.run(
        [sys.executable, "-P", str(Path(__file__).resolve()), "--one", "--large"], cwd=ROOT, env=env, check=False
    )
    print(f"(large search benchmark on {engine}: {time.perf_counter() - started:.0f} s in all)", flush=True)
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(run_one() if "--one" in sys.argv[1:] else main())
