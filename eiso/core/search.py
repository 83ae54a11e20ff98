"""Full-text search over every app's content, insensitive to Vietnamese diacritics and case.

Writers call ``search_index`` / ``search_unindex`` inside their service transaction. Readers call
``search_query`` with the agencies the user may read (the caller's selector decides that).
Matching runs on folded text (``eiso.core.text.fold``: `Đăng ký` → `dang ky`), so `đ` folds to
`d` on both sides, which neither SQLite's remove_diacritics nor PostgreSQL's unaccent does.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from eiso.core.models import SearchEntry
from eiso.core.text import fold

MAX_BODY = 200_000  # characters kept per entry; enough for a long procedure
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SEPARATOR = re.compile(r"[\W_]", re.UNICODE)


def fold_for_index(text: str | None) -> str:
    """``fold(text)`` with every character that is not a letter or a digit turned into a space.

    Same length as ``fold(text)`` (positions still map to the original), and both databases then
    cut words alike: PostgreSQL's parser would otherwise keep `118/2025/nd-cp` as one "file" token
    and read `qt-05` as `qt` and the number `-05`, so `118/2025/NĐ-CP` and `QT-05` were not found.
    """
    return _SEPARATOR.sub(" ", fold(text))


def search_index(*, obj, agency_id: int | None, kind: str, title: str, body: str, url: str) -> None:
    """Create or refresh the entry of ``obj``."""
    body = (body or "")[:MAX_BODY]
    SearchEntry.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        defaults={
            "agency_id": agency_id, "kind": kind, "title": title[:500], "body": body, "url": url,
            "title_folded": fold_for_index(title)[:500], "body_folded": fold_for_index(body),
            "updated_at": timezone.now(),
        },
    )


def search_unindex(obj) -> None:
    SearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    ).delete()


def query_terms(q: str) -> list[str]:
    """The folded words of a query (at most 12)."""
    return _WORD.findall(fold(q))[:12]


@dataclass(frozen=True)
class Hit:
    id: int
    kind: str
    object_id: str
    title: str
    url: str
    snippet: str
    rank: float


def snippet(body: str, terms: list[str], width: int = 220, folded: str | None = None) -> str:
    """A piece of ``body`` around the first term found, in the original letters.

    Folding keeps one character per character for Vietnamese, so a position found in the folded
    text is the same position in the original. ``folded``: ``fold(body)`` when the caller has it
    (the stored ``body_folded``), which spares folding long bodies again for every hit.
    """
    if not body:
        return ""
    folded = fold(body) if folded is None else folded
    if len(folded) != len(body):  # an unusual script changed length: fall back to the start
        start = 0
    else:
        positions = [folded.find(t) for t in terms if folded.find(t) >= 0]
        start = max(0, min(positions) - width // 3) if positions else 0
    piece = body[start:start + width].strip()
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(body) else "")


def _fts5_match(terms: list[str]) -> str:
    # Every word must occur; the last one may be the beginning of a word (typing as you go).
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _tsquery(terms: list[str]) -> str:
    parts = [re.sub(r"[^\w]", "", t) for t in terms]
    parts = [p for p in parts if p]
    parts[-1] += ":*"
    return " & ".join(parts)


def search_query(q: str, *, agency_ids: list[int] | None, kinds: list[str] | None = None,
                 limit: int = 20, offset: int = 0) -> tuple[list[Hit], int]:
    """Ranked hits for ``q`` among entries of ``agency_ids`` (None: every agency), and their count."""
    terms = query_terms(q)
    if not terms or (agency_ids is not None and not agency_ids):
        return [], 0
    where, params = [], []
    if agency_ids is not None:
        where.append(f"e.agency_id IN ({', '.join(['%s'] * len(agency_ids))})")
        params += list(agency_ids)
    if kinds:
        where.append(f"e.kind IN ({', '.join(['%s'] * len(kinds))})")
        params += list(kinds)
    extra = "".join(f" AND {w}" for w in where)
    if connection.vendor == "postgresql":
        match = "e.search_vector @@ to_tsquery('simple', %s)"
        rank = "ts_rank(e.search_vector, to_tsquery('simple', %s))"
        base = f"FROM core_searchentry e WHERE {match}{extra}"
        match_params = [_tsquery(terms)]
        count_sql = f"SELECT COUNT(*) {base}"
        sql = (f"SELECT e.id, e.kind, e.object_id, e.title, e.url, e.body, e.body_folded, {rank} AS rank {base} "
               f"ORDER BY rank DESC, e.id LIMIT %s OFFSET %s")
        rank_params = [_tsquery(terms)]
    else:
        base = (f"FROM core_searchentry_fts f JOIN core_searchentry e ON e.id = f.rowid "
                f"WHERE core_searchentry_fts MATCH %s{extra}")
        match_params = [_fts5_match(terms)]
        count_sql = f"SELECT COUNT(*) {base}"
        sql = (f"SELECT e.id, e.kind, e.object_id, e.title, e.url, e.body, e.body_folded, "
               f"bm25(core_searchentry_fts, 4.0, 1.0) AS rank {base} ORDER BY rank, e.id LIMIT %s OFFSET %s")
        rank_params = []
    with connection.cursor() as cursor:
        cursor.execute(count_sql, match_params + params)
        total = cursor.fetchone()[0]
        if not total:
            return [], 0
        cursor.execute(sql, rank_params + match_params + params + [limit, offset])
        rows = cursor.fetchall()
    hits = [Hit(id=r[0], kind=r[1], object_id=r[2], title=r[3], url=r[4],
                snippet=snippet(r[5], terms, folded=r[6]), rank=float(r[7])) for r in rows]
    return hits, total
