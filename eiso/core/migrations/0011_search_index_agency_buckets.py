"""The search index on PostgreSQL: an agency's entries of a bucket are one lexeme (issue 15).

Migration 0010 gave each entry the lexemes ``_b<bucket>`` and ``_a<agency>``. A search of one to
four agencies asked for ``_a<agency>`` and the run of buckets together, and GIN walked the
agency's whole posting list (every bucket of it) for each run: at 1,000,000 entries a run cost
15–20 ms whatever its size, and a search of one agency read six of them (p50 95 ms). Now the
lexeme ``_a<agency>b<bucket>`` names an agency's entries of one bucket, so a run of such a search
is the union of short lists, as long as that agency's share of the run.

``_b<bucket>`` (a search of more agencies, or of every one) and ``_k<kind>`` are unchanged. As in
0010, an index expression: the GIN index is rebuilt (4 minutes for 1,000,000 entries, 40 s for
100,000, on a busy 2-CPU machine) and no row is rewritten.
"""

from django.db import migrations

# eiso.core.search.BUCKET_SHIFT is the same 14.
POSTGRES = [
    "DROP INDEX IF EXISTS core_searchentry_vector_idx",
    """CREATE OR REPLACE FUNCTION eiso_search_keys(id bigint, agency_id bigint, kind text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1 AS $$
        SELECT array_to_tsvector(ARRAY['_b' || (id >> 14), '_a' || coalesce(agency_id, 0) || 'b' || (id >> 14),
                                       '_k' || coalesce(kind, '')])
        $$""",
    """CREATE INDEX core_searchentry_vector_idx ON core_searchentry
        USING GIN ((search_vector || eiso_search_keys(id, agency_id, kind)))""",
    "ANALYZE core_searchentry",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS core_searchentry_vector_idx",
    """CREATE OR REPLACE FUNCTION eiso_search_keys(id bigint, agency_id bigint, kind text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1 AS $$
        SELECT array_to_tsvector(ARRAY['_b' || (id >> 14), '_a' || coalesce(agency_id, 0), '_k' || coalesce(kind, '')])
        $$""",
    """CREATE INDEX core_searchentry_vector_idx ON core_searchentry
        USING GIN ((search_vector || eiso_search_keys(id, agency_id, kind)))""",
    "ANALYZE core_searchentry",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0010_search_index_scope_and_buckets")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_REVERSE))]
