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

MAX_BODY = 200_000
# A query matching thousands of entries ("hồ sơ" across a province) is not read to the end:
# the count stops at COUNT_LIMIT + 1 (shown as "more than 1,000") and ranking looks at the
# RANK_WINDOW newest matches (SQLite) or the first the index returns (PostgreSQL). Below those
# sizes (one agency's search: a few hundred hits) counts and ranks are exact.
COUNT_LIMIT = 1000
RANK_WINDOW = 1000  # characters kept per entry; enough for a long procedure
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


def _fts5_match(terms: list[str], agency_ids, kinds) -> str:
    """Every word must occur in the title or body (the last one may be the beginning of a word, as
    when typing); agency and kind are tokens of the scope column, filtered inside the index."""
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    expression = "{title_folded body_folded}: (" + " AND ".join(quoted) + ")"
    if agency_ids is not None:
        expression += " AND scope: (" + " OR ".join(f"ag{int(a)}" for a in agency_ids) + ")"
    if kinds:
        expression += " AND scope: (" + " OR ".join(f'"k{k}"' for k in kinds) + ")"
    return expression


def _tsquery_terms(terms: list[str]) -> str:
    parts = [re.sub(r"[^\w]", "", t) for t in terms]
    parts = [p for p in parts if p]
    parts[-1] += ":*"
    return " & ".join(parts)


def _tsquery(terms: list[str], agency_ids, kinds) -> str:
    expression = f"({_tsquery_terms(terms)})"
    if agency_ids is not None:
        expression += " & (" + " | ".join(f"ag{int(a)}" for a in agency_ids) + ")"
    if kinds:
        expression += " & (" + " | ".join("k" + re.sub(r"[^\w]", "", k) for k in kinds) + ")"
    return expression


def search_query(q: str, *, agency_ids: list[int] | None, kinds: list[str] | None = None,
                 limit: int = 20, offset: int = 0) -> tuple[list[Hit], int]:
    """Ranked hits for ``q`` among entries of ``agency_ids`` (None: every agency), and their count
    (``COUNT_LIMIT + 1`` standing for "more than COUNT_LIMIT").

    Text, agency and kind are all answered by the full-text index; only the page of hits is read
    from the entries table. Ranking: SQLite's bm25 with titles weighing 4× the body; PostgreSQL
    ranks title matches first (ts_rank over the small title vector), then the newest entries.
    """
    terms = query_terms(q)
    if not terms or (agency_ids is not None and not agency_ids):
        return [], 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            match = _tsquery(terms, agency_ids, kinds)
            cursor.execute("SELECT COUNT(*) FROM (SELECT 1 FROM core_searchentry "
                           "WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s) AS hits",
                           [match, COUNT_LIMIT + 1])
            total = cursor.fetchone()[0]
            if not total:
                return [], 0
            cursor.execute(
                "SELECT id, ts_rank(title_vector, to_tsquery('simple', %s)) AS rank FROM ("
                "SELECT id, title_vector FROM core_searchentry WHERE search_vector @@ to_tsquery('simple', %s) "
                "LIMIT %s) AS ranked ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s",
                [_tsquery_terms(terms), match, RANK_WINDOW, limit, offset])
        else:
            match = _fts5_match(terms, agency_ids, kinds)
            cursor.execute("SELECT COUNT(*) FROM (SELECT 1 FROM core_searchentry_fts "
                           "WHERE core_searchentry_fts MATCH %s LIMIT %s)", [match, COUNT_LIMIT + 1])
            total = cursor.fetchone()[0]
            if not total:
                return [], 0
            cursor.execute(
                "SELECT rowid, rank FROM (SELECT rowid, bm25(core_searchentry_fts, 4.0, 1.0, 0.0) AS rank "
                "FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s ORDER BY rowid DESC LIMIT %s) "
                "ORDER BY rank, rowid DESC LIMIT %s OFFSET %s", [match, RANK_WINDOW, limit, offset])
        ranked = cursor.fetchall()
    entries = SearchEntry.objects.in_bulk([pk for pk, _rank in ranked])
    hits = []
    for pk, rank in ranked:
        e = entries.get(pk)
        if e is not None:
            hits.append(Hit(id=e.pk, kind=e.kind, object_id=e.object_id, title=e.title, url=e.url,
                            snippet=snippet(e.body, terms, folded=e.body_folded), rank=float(rank)))
    return hits, total
