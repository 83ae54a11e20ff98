"""The embedded-engine comparison of the search benchmark: tantivy (its Python binding) on the same corpus.

``bench/search.py`` calls ``compare`` after measuring the database's own index, when the ``tantivy``
package is installed (a dev dependency). The index is built in a temporary folder from the very
rows of ``core_searchentry`` (folded title and body, agency, id), and the queries ask what
``eiso.core.search.search_query`` asks: every folded word in the title or the body (titles weigh
4×, BM25), the last word a prefix, only the scope's agencies, the count and the first 20; then, as
the database path does, the 20 entries are read from the table and given their snippets.
"""

import re
import shutil
import tempfile
import time

BATCH = 5000


def _schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", tokenizer_name="default")
    builder.add_text_field("body", tokenizer_name="default")
    builder.add_integer_field("agency", indexed=True, fast=True)
    builder.add_integer_field("id", stored=True, fast=True)
    return builder.build()


def build(folder: str):
    """An index of every entry of the table; returns (index, seconds, entries)."""
    import tantivy
    from django.db import connection

    schema = _schema()
    index = tantivy.Index(schema, path=folder)
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    started, count, last = time.perf_counter(), 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, agency_id, title_folded, body_folded FROM core_searchentry WHERE id > %s "
                "ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            break
        for pk, agency_id, title, body in rows:
            writer.add_document(tantivy.Document(id=pk, agency=agency_id or 0, title=title, body=body))
        count += len(rows)
        last = rows[-1][0]
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, time.perf_counter() - started, count


def _query(index, terms: list[str], agency_ids: list[int]):
    import tantivy

    schema = index.schema
    must = []
    for i, term in enumerate(terms):
        if i == len(terms) - 1:
            pattern = re.escape(term) + ".*"
            title = tantivy.Query.regex_query(schema, "title", pattern)
            body = tantivy.Query.regex_query(schema, "body", pattern)
        else:
            title = tantivy.Query.term_query(schema, "title", term)
            body = tantivy.Query.term_query(schema, "body", term)
        either = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.boost_query(title, 4.0)), (tantivy.Occur.Should, body)]
        )
        must.append((tantivy.Occur.Must, either))
    scope = tantivy.Query.term_set_query(schema, "agency", agency_ids)
    must.append((tantivy.Occur.Must, tantivy.Query.const_score_query(scope, 0.0)))
    return tantivy.Query.boolean_query(must)


def search(index, q: str, agency_ids: list[int], limit: int = 20):
    """Count + first ``limit`` hits with snippets, as ``search_query`` returns them."""
    from eiso.core.models import SearchEntry
    from eiso.core.search import query_terms, snippet

    terms = query_terms(q)
    searcher = index.searcher()
    result = searcher.search(_query(index, terms, agency_ids), limit, count=True)
    ids = searcher.fast_field_values("id", [address for _score, address in result.hits])
    entries = SearchEntry.objects.in_bulk(ids)
    hits = [(entries[pk].url, snippet(entries[pk].body, terms, folded=entries[pk].body_folded)) for pk in ids]
    return hits, result.count


def compare(scopes: dict[str, list[int]], queries: list[str], runs: int, timed) -> dict:
    """Times of every query through tantivy per scope, and facts of the index."""
    folder = tempfile.mkdtemp(prefix="eiso-bench-tantivy-")
    try:
        index, seconds, count = build(folder)
        size = sum(p.stat().st_size for p in __import__("pathlib").Path(folder).rglob("*") if p.is_file())
        results = {}
        for label, ids in scopes.items():
            for q in queries:  # warm-up
                search(index, q, ids)
            times, per_query = [], {}
            for q in queries:
                t = timed(lambda q=q, ids=ids: search(index, q, ids), runs)
                times += t
                per_query[q] = min(t)
            slowest = sorted(per_query.items(), key=lambda item: -item[1])[:4]
            results[label] = {"times": times, "slowest": slowest}
        return {"built_s": seconds, "entries": count, "bytes": size, "results": results}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
