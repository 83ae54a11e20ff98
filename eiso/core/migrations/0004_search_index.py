"""The full-text index of SearchEntry: FTS5 on SQLite, a generated tsvector + GIN on PostgreSQL."""

from django.db import migrations

# SQLite: a contentless FTS5 index of the folded title and body, plus a "scope" column of
# tokens (ag<agency id>, k<kind>) so that the agency and kind filters run inside the index, and
# prefix indexes so that a short last word ("th*") does not expand over the whole vocabulary.
_SCOPE_NEW = "'ag' || ifnull(new.agency_id, 0) || ' k' || new.kind"
_SCOPE_OLD = "'ag' || ifnull(old.agency_id, 0) || ' k' || old.kind"
SQLITE = [
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
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchentry_fts_au",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ai",
    "DROP TABLE IF EXISTS core_searchentry_fts",
]
# PostgreSQL: the same scope tokens inside the generated tsvector (weight D), so one GIN index
# answers text, agency and kind together; and a small title vector to rank by without reading
# every match's (large, TOASTed) body vector.
POSTGRES = [
    """ALTER TABLE core_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_folded), 'A') || setweight(to_tsvector('simple', body_folded), 'B')
        || setweight(to_tsvector('simple', 'ag' || coalesce(agency_id, 0)::text || ' k' || kind), 'D')
    ) STORED""",
    """ALTER TABLE core_searchentry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', title_folded)) STORED""",
    "CREATE INDEX core_searchentry_vector_idx ON core_searchentry USING GIN (search_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS core_searchentry_vector_idx",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_search_entry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
