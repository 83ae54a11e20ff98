"""The search index, third form on PostgreSQL: scope and buckets of ids as lexemes of the index
(issue 15, search p95 under 100 ms for a province at 1,000,000 entries).

The GIN index is now over ``search_vector || eiso_search_keys(id, agency_id, kind)``: beside the
entry's words, three lexemes that no text can hold (folded text keeps no ``_``, PostgreSQL's
parser drops it, and the prefix lexemes of 0009 end with one but never begin with one):

- ``_b<id >> 14>``, the entry's bucket of 16,384 consecutive ids. A search asks the newest bucket
  first, then older ones in runs that double (``eiso.core.search``), and stops at the 1,001st
  match: GIN skips along each word's posting list to the bucket's entries, so a phrase of common
  words ("thủ tục hành chính", tens of thousands of matches) costs a bucket's share of the lists
  instead of every list read whole (at 100,000 entries, 'đánh giá nội bộ': 5 ms against 30 ms for
  the index part; the whole read grows with the table, a bucket's does not).
- ``_a<agency id>`` and ``_k<kind>``, the scope. The weight-D ``ag<id>``/``k<kind>`` of the stored
  vector needed each match's vector read back and checked (a weight is not in GIN), 20–50 µs a
  row; these need no check.

An index expression rather than a stored column: the migration rebuilds the GIN index and
rewrites no row (about as long as building the index of 0009: 40 s for 100,000 entries on a busy
2-CPU machine).
"""

from django.db import migrations

# eiso.core.search.BUCKET_SHIFT is the same 14.
POSTGRES = [
    # COST 1, as a built-in function: at the default 100 of a SQL function the planner thought the
    # rows of a bucket dear enough to spread over parallel workers ('đ': 27 ms against 3 ms).
    """CREATE FUNCTION eiso_search_keys(id bigint, agency_id bigint, kind text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1 AS $$
        SELECT array_to_tsvector(ARRAY['_b' || (id >> 14), '_a' || coalesce(agency_id, 0), '_k' || coalesce(kind, '')])
        $$""",
    "DROP INDEX IF EXISTS core_searchentry_vector_idx",
    """CREATE INDEX core_searchentry_vector_idx ON core_searchentry
        USING GIN ((search_vector || eiso_search_keys(id, agency_id, kind)))""",
    # Statistics of the index expression (the frequencies of buckets and agencies) for the planner.
    "ANALYZE core_searchentry",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS core_searchentry_vector_idx",
    "CREATE INDEX core_searchentry_vector_idx ON core_searchentry USING GIN (search_vector)",
    "DROP FUNCTION IF EXISTS eiso_search_keys(bigint, bigint, text)",
    "ANALYZE core_searchentry",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0009_search_index_scoped_prefixes")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_REVERSE))]
