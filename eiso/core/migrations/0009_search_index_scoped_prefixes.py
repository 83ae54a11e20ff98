"""The search index, second form: scope first, prefixes indexed (issue 15, search under 50 ms).

SQLite: the FTS5 rowid of an entry is ``agency_id << 32 | id``, so one agency's entries are one
rowid range and the index seeks straight to it (filter, then match) instead of intersecting an
``ag<id>`` token's list with every word's; prefixes of 1 to 7 letters are indexed (a Vietnamese
syllable has at most 7), so the last word of a query, always read as a prefix, is one list and
not a merge of every word that begins with it; titles get a small index of their own (with the kind), for ranking.
PostgreSQL: the tsvector also holds a ``<prefix>_`` lexeme for the first 1 to 7 letters of each
word, so the last word of a query is one exact lexeme (``dan_``, ``luong_``): one posting list that
GIN skips along with the other words', instead of ``word:*``, the union of every word that begins
with it, read in full (one agency, 'ly lich tu phap': 3 ms against 31 ms at 100,000 entries).
"""

from django.db import migrations

_ROWID_NEW = "(ifnull(new.agency_id, 0) << 32) | new.id"
_ROWID_OLD = "(ifnull(old.agency_id, 0) << 32) | old.id"
_PREFIX = "prefix='1 2 3 4 5 6 7'"
SQLITE = [
    "DROP TRIGGER IF EXISTS core_searchentry_fts_au",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ai",
    "DROP TABLE IF EXISTS core_searchentry_fts",
    f"""CREATE VIRTUAL TABLE core_searchentry_fts USING fts5(
        title_folded, body_folded, kind, content='', tokenize='unicode61', {_PREFIX})""",
    f"""CREATE VIRTUAL TABLE core_searchentry_title_fts USING fts5(
        title_folded, kind, content='', tokenize='unicode61', {_PREFIX})""",
    f"""CREATE TRIGGER core_searchentry_fts_ai AFTER INSERT ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(rowid, title_folded, body_folded, kind)
        VALUES ({_ROWID_NEW}, new.title_folded, new.body_folded, 'k' || new.kind);
        INSERT INTO core_searchentry_title_fts(rowid, title_folded, kind)
        VALUES ({_ROWID_NEW}, new.title_folded, 'k' || new.kind); END""",
    f"""CREATE TRIGGER core_searchentry_fts_ad AFTER DELETE ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, title_folded, body_folded, kind)
        VALUES ('delete', {_ROWID_OLD}, old.title_folded, old.body_folded, 'k' || old.kind);
        INSERT INTO core_searchentry_title_fts(core_searchentry_title_fts, rowid, title_folded, kind)
        VALUES ('delete', {_ROWID_OLD}, old.title_folded, 'k' || old.kind); END""",
    f"""CREATE TRIGGER core_searchentry_fts_au AFTER UPDATE ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, title_folded, body_folded, kind)
        VALUES ('delete', {_ROWID_OLD}, old.title_folded, old.body_folded, 'k' || old.kind);
        INSERT INTO core_searchentry_title_fts(core_searchentry_title_fts, rowid, title_folded, kind)
        VALUES ('delete', {_ROWID_OLD}, old.title_folded, 'k' || old.kind);
        INSERT INTO core_searchentry_fts(rowid, title_folded, body_folded, kind)
        VALUES ({_ROWID_NEW}, new.title_folded, new.body_folded, 'k' || new.kind);
        INSERT INTO core_searchentry_title_fts(rowid, title_folded, kind)
        VALUES ({_ROWID_NEW}, new.title_folded, 'k' || new.kind); END""",
    """INSERT INTO core_searchentry_fts(rowid, title_folded, body_folded, kind)
        SELECT (ifnull(agency_id, 0) << 32) | id, title_folded, body_folded, 'k' || kind FROM core_searchentry""",
    """INSERT INTO core_searchentry_title_fts(rowid, title_folded, kind)
        SELECT (ifnull(agency_id, 0) << 32) | id, title_folded, 'k' || kind FROM core_searchentry""",
]
# Back to the form of 0004.
_SCOPE_NEW = "'ag' || ifnull(new.agency_id, 0) || ' k' || new.kind"
_SCOPE_OLD = "'ag' || ifnull(old.agency_id, 0) || ' k' || old.kind"
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchentry_fts_au",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ai",
    "DROP TABLE IF EXISTS core_searchentry_fts",
    "DROP TABLE IF EXISTS core_searchentry_title_fts",
    """CREATE VIRTUAL TABLE core_searchentry_fts USING fts5(
        title_folded, body_folded, scope, content='', tokenize='unicode61', prefix='1 2 3')""",
    f"""CREATE TRIGGER core_searchentry_fts_ai AFTER INSERT ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(rowid, title_folded, body_folded, scope)
        VALUES (new.id, new.title_folded, new.body_folded, {_SCOPE_NEW}); END""",
    f"""CREATE TRIGGER core_searchentry_fts_ad AFTER DELETE ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, title_folded, body_folded, scope)
        VALUES ('delete', old.id, old.title_folded, old.body_folded, {_SCOPE_OLD}); END""",
    f"""CREATE TRIGGER core_searchentry_fts_au AFTER UPDATE ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, title_folded, body_folded, scope)
        VALUES ('delete', old.id, old.title_folded, old.body_folded, {_SCOPE_OLD});
        INSERT INTO core_searchentry_fts(rowid, title_folded, body_folded, scope)
        VALUES (new.id, new.title_folded, new.body_folded, {_SCOPE_NEW}); END""",
    """INSERT INTO core_searchentry_fts(rowid, title_folded, body_folded, scope)
        SELECT id, title_folded, body_folded, 'ag' || ifnull(agency_id, 0) || ' k' || kind FROM core_searchentry""",
]

# PostgreSQL: `eiso_search_prefixes('dang ky kinh')` = 'd_' 'da_' 'dan_' 'dang_' 'k_' 'ky_' 'ki_' …
# (no positions), from the words the 'simple' parser cuts, as in the rest of the vector.
POSTGRES = [
    """CREATE FUNCTION eiso_search_prefixes(folded text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT coalesce(array_to_tsvector(array_agg(left(w, n) || '_')), ''::tsvector)
        FROM unnest(tsvector_to_array(to_tsvector('simple', folded))) AS w, generate_series(1, 7) AS n
        WHERE length(w) >= n $$""",
    "DROP INDEX IF EXISTS core_searchentry_vector_idx",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE core_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_folded), 'A') || setweight(to_tsvector('simple', body_folded), 'B')
        || eiso_search_prefixes(title_folded || ' ' || body_folded)
        || setweight(to_tsvector('simple', 'ag' || coalesce(agency_id, 0)::text || ' k' || kind), 'D')
    ) STORED""",
    "CREATE INDEX core_searchentry_vector_idx ON core_searchentry USING GIN (search_vector)",
    # The new column has no statistics until analysed: without them the planner reads every common
    # word through GIN, where a scan that stops at the first thousand matches is cheaper.
    "ANALYZE core_searchentry",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS core_searchentry_vector_idx",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS eiso_search_prefixes(text)",
    """ALTER TABLE core_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_folded), 'A') || setweight(to_tsvector('simple', body_folded), 'B')
        || setweight(to_tsvector('simple', 'ag' || coalesce(agency_id, 0)::text || ' k' || kind), 'D')
    ) STORED""",
    "CREATE INDEX core_searchentry_vector_idx ON core_searchentry USING GIN (search_vector)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0008_data_generation")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
