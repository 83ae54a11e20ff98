"""Full-text search over every app's content, insensitive to Vietnamese diacritics and case.

Writers call ``search_index`` / ``search_unindex`` inside their service transaction. Readers call
``search_query`` with the agencies the user may read (the caller's selector decides that).
Matching runs on folded text (``eiso.core.text.fold``: `Đăng ký` → `dang ky`), so `đ` folds to
`d` on both sides, which neither SQLite's remove_diacritics nor PostgreSQL's unaccent does.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from eiso.core.models import SearchEntry
from eiso.core.text import fold

MAX_BODY = 200_000
# A query matching thousands of entries ("hồ sơ" across a province) is not read to the end:
# the count stops at COUNT_LIMIT + 1 (shown as "more than 1,000") and ranking looks at the first
# RANK_WINDOW matches in index order (by agency, the newest first), and on SQLite the first
# RANK_TITLES entries whose title holds the words are ranked by bm25 ahead of them (bm25 costs
# about 35 µs a row: 1,000 titles took 35 ms of a 55 ms province search). Below those sizes (one
# agency's search: a few hundred hits, a few dozen title matches) counts and ranks are exact.
COUNT_LIMIT = 1000
RANK_WINDOW = 1000
RANK_TITLES = 200
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


# SQLite: the FTS5 rowid of an entry is ``agency_id << AGENCY_SHIFT | id`` (migration 0009), so the
# entries of consecutive agencies are one rowid range. A scope cut into more than MAX_RANGES ranges
# is searched over its whole span, the agency read back from the rowid.
AGENCY_SHIFT = 32
MAX_RANGES = 8
# PostgreSQL: words up to this length have a ``<prefix>_`` lexeme in the index (migration 0009).
PREFIX_LEXEME_MAX = 7
# PostgreSQL: a scope of up to this many agencies is asked of the GIN index (``_a<id>b<bucket>``
# lexemes, short lists that the other words are skipped along); a larger one is checked on the
# rows instead (``agency_id = ANY``), as the matching rows are read: at 1,000,000 entries, 5 of
# 20 agencies took p50 13 ms through the lexemes against 88 ms on the rows, the 20 of the province
# 37 ms through the lexemes against 10 ms on the rows (load 4–6).
SCOPE_LEXEMES_MAX = 8
# PostgreSQL: longer words are left out of a tsvector and out of a tsquery (with a notice).
MAX_LEXEME_BYTES = 2047
# PostgreSQL: the GIN index is over this expression (migrations 0010, 0011), which adds to an
# entry's vector the lexemes of its bucket of 16,384 consecutive ids (``_b<id >> BUCKET_SHIFT>``;
# the shift is also written in eiso_search_keys), of its agency's entries in that bucket
# (``_a<agency id>b<bucket>``) and of its kind (``_k<kind>``).
BUCKET_SHIFT = 14
_INDEXED = "(search_vector || eiso_search_keys(id, agency_id, kind))"


def _fts5_words(terms: list[str]) -> str:
    """Every word must occur (the last one may be the beginning of a word, as when typing)."""
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _fts5_match(terms: list[str], kinds, columns: str) -> str:
    expression = "{" + columns + "}: (" + _fts5_words(terms) + ")"
    if kinds:
        expression += " AND kind: (" + " OR ".join(f'"k{k}"' for k in kinds) + ")"
    return expression


def _agency_ranges(agency_ids) -> list[tuple[int, int]]:
    """Runs of consecutive agency ids, highest first: ``[3, 4, 5, 9]`` → ``[(9, 9), (3, 5)]``."""
    runs: list[list[int]] = []
    for a in sorted({int(a) for a in agency_ids}):
        if runs and a == runs[-1][1] + 1:
            runs[-1][1] = a
        else:
            runs.append([a, a])
    return [(lo, hi) for lo, hi in reversed(runs)]


def _fts5_rowids(cursor, table: str, match: str, agency_ids, limit: int, rank: bool = False) -> list:
    """Rowids of ``table`` matching ``match`` among the entries of ``agency_ids`` (None: all), in
    index order (agency, then newest first), at most ``limit``; with ``rank``, (rowid, bm25) pairs."""
    # table: one of the two index names of this module; every value is a parameter
    select = f"SELECT rowid, bm25({table}) FROM {table}" if rank else f"SELECT rowid FROM {table}"  # noqa: S608
    if agency_ids is None:
        cursor.execute(f"{select} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT %s", [match, limit])
        return cursor.fetchall()
    ranges = _agency_ranges(agency_ids)
    if len(ranges) > MAX_RANGES:  # scattered agencies: the whole span, each rowid's agency checked
        ids = sorted({int(a) for a in agency_ids})
        cursor.execute(
            f"{select} WHERE {table} MATCH %s AND rowid BETWEEN %s AND %s AND (rowid >> {AGENCY_SHIFT}) IN "
            f"({', '.join(['%s'] * len(ids))}) ORDER BY rowid DESC LIMIT %s",
            [match, ids[0] << AGENCY_SHIFT, ((ids[-1] + 1) << AGENCY_SHIFT) - 1, *ids, limit])
        return cursor.fetchall()
    rows: list = []
    for lo, hi in ranges:  # scope first: the index seeks to each agency range
        cursor.execute(
            f"{select} WHERE {table} MATCH %s AND rowid BETWEEN %s AND %s ORDER BY rowid DESC LIMIT %s",
            [match, lo << AGENCY_SHIFT, ((hi + 1) << AGENCY_SHIFT) - 1, limit - len(rows)])
        rows += cursor.fetchall()
        if len(rows) >= limit:
            break
    return rows


def _sqlite_ranked(cursor, terms, agency_ids, kinds) -> tuple[list[tuple[int, float]], int]:
    """(entry id, rank) in page order, and the count. Matches: the first COUNT_LIMIT + 1 rowids in
    index order. Ranking: entries whose title holds every word first (bm25 of the titles' own small
    index, among the RANK_TITLES first title matches), then the other matches in index order."""
    mask = (1 << AGENCY_SHIFT) - 1
    matches = _fts5_rowids(cursor, "core_searchentry_fts", _fts5_match(terms, kinds, "title_folded body_folded"),
                           agency_ids, COUNT_LIMIT + 1)
    if not matches:
        return [], 0
    titles = _fts5_rowids(cursor, "core_searchentry_title_fts", _fts5_match(terms, kinds, "title_folded"),
                          agency_ids, min(RANK_TITLES, RANK_WINDOW), rank=True)
    titles.sort(key=lambda row: (row[1], -row[0]))
    seen = {rowid for rowid, _rank in titles}
    ranked = [(rowid & mask, rank) for rowid, rank in titles]
    ranked += [(rowid & mask, 0.0) for (rowid,) in matches[:RANK_WINDOW] if rowid not in seen]
    return ranked, len(matches)


def _tsquery_terms(terms: list[str]) -> str:
    parts = [re.sub(r"[^\w]", "", t) for t in terms]
    parts = [p for p in parts if p]
    parts[-1] += ":*"
    return " & ".join(parts)


def _tsquery(terms: list[str], kinds) -> tuple[str, str, str]:
    """(the words for to_tsquery('simple', …), the prefix lexeme as a tsquery or '', the kinds as a
    tsquery or '').

    Kind is the lexeme ``_k<kind>`` of the index (migration 0010), and agency ``_a<id>b<bucket>``
    (0011, see ``_postgres_ranked``), which no title or body can hold (folded text has no ``_``):
    an entry whose text holds the word ``a5b0`` or ``krevision`` is not in agency 5's or the
    revisions' scope for it.

    A last word of up to PREFIX_LEXEME_MAX letters is matched by its ``<prefix>_`` lexeme (one
    posting list) rather than by ``word:*`` (the union of every word beginning with it)."""
    parts = [p for p in (re.sub(r"[^\w]", "", t) for t in terms) if p]
    prefix = ""
    if parts and len(parts[-1]) <= PREFIX_LEXEME_MAX:
        prefix = "'" + parts.pop() + "_'"
    elif parts:
        parts[-1] += ":*"
    kind_lexemes = " | ".join("'_k" + re.sub(r"[^\w]", "", k) + "'" for k in kinds or [])
    return " & ".join(parts), prefix, f"({kind_lexemes})" if kind_lexemes else ""


def _bucket_runs(newest_id: int) -> list[tuple[int, int]]:
    """Runs of buckets (lowest, highest) from the newest down to 0: first the buckets of the newest
    16,384 ids (one or two), then runs twice as long as the one before.
    ``_bucket_runs(9 << 14)`` → ``[(8, 9), (6, 7), (2, 5), (0, 1)]``."""
    size = 1 << BUCKET_SHIFT
    hi, lo = newest_id >> BUCKET_SHIFT, max(0, newest_id - size + 1) >> BUCKET_SHIFT
    runs, length = [(lo, hi)], 2
    hi = lo - 1
    while hi >= 0:
        lo = max(0, hi - length + 1)
        runs.append((lo, hi))
        hi, length = lo - 1, length * 2
    return runs


def _postgres_ranked(cursor, terms, agency_ids, kinds, *, restore: bool = True) -> tuple[list[tuple[int, float]], int]:
    """The first COUNT_LIMIT + 1 matches, the newest buckets of ids first, counted and ranked
    (title matches first by ts_rank over the small title vector, then the newest).

    The buckets are asked in runs that double (the newest 16,384 ids, the two buckets before them,
    then four…), stopping as soon as COUNT_LIMIT + 1 matches are in: a common phrase is answered
    from the newest entries, a rare one from every bucket in a handful of GIN scans, each limited
    to its buckets' entries (migration 0010)."""
    if any(len(t.encode()) > MAX_LEXEME_BYTES for t in terms):
        return [], 0  # never indexed, and to_tsquery would drop it: the scope alone would match everything
    words, prefix, kind_lexemes = _tsquery(terms, kinds)
    if not words and not prefix:
        return [], 0  # no word left: the scope alone would match everything
    # Never a sequential scan, whose rows from the start of the table hold the oldest buckets and
    # are each read back to compute the index expression: the planner, seeing a run of many
    # lexemes, can guess a match in every tenth row and choose one (27 s at 1,000,000 entries,
    # 10 agencies, 'mot cua'). SET LOCAL lasts to the end of the transaction (the caller's, if
    # any): it is put back after the search (after an error, the caller's atomic block rolls it back),
    # unless ``restore`` is false (the search's own transaction, whose end ends the setting).
    cursor.execute("SELECT max(id), current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true) "
                   "FROM core_searchentry")
    newest, seqscan, _off = cursor.fetchone()
    found = _postgres_runs(cursor, terms, agency_ids, words, prefix, kind_lexemes, newest)
    if restore:
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])
    return found


def _postgres_runs(cursor, terms, agency_ids, words, prefix, kind_lexemes, newest):
    if newest is None:
        return [], 0
    match, params = [], []
    if words:
        match, params = [*match, "to_tsquery('simple', %s)"], [*params, words]
    for raw in (prefix, kind_lexemes):  # lexemes as they are: to_tsquery would drop their `_`
        if raw:
            match, params = [*match, "%s::tsquery"], [*params, raw]
    scope, scope_params, agencies = "", [], None
    if agency_ids is not None and len(agency_ids) > SCOPE_LEXEMES_MAX:
        # `+ 0`: never through the (agency, kind) index, whose bitmap of every row of the province
        # has each row's vector detoasted and checked (77 ms against 38 ms, 'mot cua').
        scope, scope_params = " AND agency_id + 0 = ANY(%s)", [sorted({int(a) for a in agency_ids})]
    elif agency_ids is not None:
        agencies = sorted({int(a) for a in agency_ids})
    # One statement: PostgreSQL runs the parts of a UNION ALL one after the other and stops as
    # soon as the LIMIT is reached, so the older runs are never read for a common phrase.
    runs, run_params = [], []
    for lo, hi in _bucket_runs(newest):
        runs.append(f"(SELECT id, title_vector FROM core_searchentry WHERE {_INDEXED} @@ "  # noqa: S608
                    f"({' && '.join([*match, '%s::tsquery'])}){scope} LIMIT %s)")
        if agencies is None:  # every agency, or many checked on the rows: the run's buckets
            run = " | ".join(f"'_b{b}'" for b in range(lo, hi + 1))
        else:  # a few agencies: their entries of the run's buckets, short lists
            run = " | ".join(f"'_a{a}b{b}'" for a in agencies for b in range(lo, hi + 1))
        run_params += [*params, run, *scope_params, COUNT_LIMIT + 1]
    cursor.execute(
        f"WITH hits AS MATERIALIZED (SELECT * FROM ({' UNION ALL '.join(runs)}) AS runs LIMIT %s) "  # noqa: S608
        "SELECT id, ts_rank(title_vector, to_tsquery('simple', %s)) AS rank, (SELECT COUNT(*) FROM hits) "
        "FROM hits ORDER BY rank DESC, id DESC LIMIT %s",
        [*run_params, COUNT_LIMIT + 1, _tsquery_terms(terms), RANK_WINDOW])
    rows = cursor.fetchall()
    return [(pk, rank) for pk, rank, _total in rows], (rows[0][2] if rows else 0)


def search_query(q: str, *, agency_ids: list[int] | None, kinds: list[str] | None = None,
                 limit: int = 20, offset: int = 0) -> tuple[list[Hit], int]:
    """Ranked hits for ``q`` among entries of ``agency_ids`` (None: every agency), and their count
    (``COUNT_LIMIT + 1`` standing for "more than COUNT_LIMIT").

    Text, agency and kind are all answered by the full-text index; only the page of hits is read
    from the entries table. Ranking: entries whose title holds the words first (SQLite: bm25 over
    the titles' index; PostgreSQL: ts_rank over the small title vector), then the others in index
    order (the newest first within an agency).
    """
    terms = query_terms(q)
    if not terms or (agency_ids is not None and not agency_ids):
        return [], 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            inside = connection.in_atomic_block  # else the block below is the transaction, and its end the SET's
            with transaction.atomic():  # for SET LOCAL (see _postgres_ranked)
                ranked, total = _postgres_ranked(cursor, terms, agency_ids, kinds, restore=inside)
        else:
            ranked, total = _sqlite_ranked(cursor, terms, agency_ids, kinds)
    ranked = ranked[offset:offset + limit]
    entries = SearchEntry.objects.in_bulk([pk for pk, _rank in ranked])
    hits = []
    for pk, rank in ranked:
        e = entries.get(pk)
        if e is not None:
            hits.append(Hit(id=e.pk, kind=e.kind, object_id=e.object_id, title=e.title, url=e.url,
                            snippet=snippet(e.body, terms, folded=e.body_folded), rank=float(rank)))
    return hits, total
