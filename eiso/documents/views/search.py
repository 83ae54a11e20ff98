"""The search page: documents, revisions (with the text of their files), legal documents and records,
insensitive to diacritics and case, ranked, scoped to what the user may read.

Query words are highlighted server-side: the text is escaped piece by piece and only our own
``<mark>`` tags are added, at the positions where the folded query words start folded words.
"""

import functools
import re
import unicodedata
from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from eiso.core.search import COUNT_LIMIT, query_terms
from eiso.core.text import fold
from eiso.documents.selectors.search import SEARCH_KINDS, search_for_user

PER_PAGE = 20
MAX_QUERY = 200
KIND_BADGES = {"document": "primary", "revision": "info", "external": "warning", "record": "success"}


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """``fold`` of one character, kept: a page of snippets is some 4,000 characters of a few dozen
    distinct ones (folding each anew was a third of the search page's CPU)."""
    return fold(ch)


def _folded_with_positions(text: str) -> tuple[str, Sequence[int]]:
    """``fold(text)`` built one character at a time, with the index in ``text`` of each folded
    character, so a match in the folded text maps back to the original even when folding changes
    the length (decomposed accents, ligatures, ß)."""
    pieces = [_fold_char(ch) for ch in text]
    if all(len(piece) == 1 for piece in pieces):  # the usual case: the n-th folded character is the n-th's
        return "".join(pieces), range(len(text))
    folded, positions = [], []
    for i, piece in enumerate(pieces):
        for f in piece:
            folded.append(f)
            positions.append(i)
    return "".join(folded), positions


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, with every word starting with a query term wrapped in ``<mark>``."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return escape(text)
    folded, positions = _folded_with_positions(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + ")")
    spans: list[list[int]] = []
    for match in pattern.finditer(folded):
        if match.end() == match.start():
            continue
        start = positions[match.start()]
        end = positions[match.end() - 1] + 1
        while end < len(text) and unicodedata.combining(text[end]):  # keep a decomposed accent with its letter
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of the text is escaped above


class _Hits:
    """One page of hits standing for the whole result list, so Django's Paginator (and the shared
    pagination template) work on a count the index already gave."""

    def __init__(self, hits, total):
        self.hits, self.total = hits, total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, item):
        return self.hits


def _page_number(raw) -> int:
    try:
        return max(1, min(int(raw), 10**5))
    except (TypeError, ValueError):
        return 1


@login_required
def search(request):
    q = (request.GET.get("q") or "").strip()[:MAX_QUERY].replace("\x00", "")
    kind = request.GET.get("type", "")
    kind = kind if kind in SEARCH_KINDS else ""
    kinds = [kind] if kind else None
    number = _page_number(request.GET.get("page"))
    terms = query_terms(q) if q else []
    hits, total = search_for_user(request.user, q, kinds=kinds, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    paginator = Paginator(_Hits(hits, min(total, COUNT_LIMIT)), PER_PAGE)
    try:
        paginator.validate_number(number)
    except (EmptyPage, PageNotAnInteger):  # past the end: show the last page
        number = paginator.num_pages
        hits, total = search_for_user(request.user, q, kinds=kinds, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
        paginator = Paginator(_Hits(hits, min(total, COUNT_LIMIT)), PER_PAGE)
    page = paginator.page(number)
    results = [
        {
            "hit": hit,
            "kind_label": SEARCH_KINDS.get(hit.kind, hit.kind),
            "badge": KIND_BADGES.get(hit.kind, "secondary"),
            "title": highlight(hit.title, terms),
            "snippet": highlight(hit.snippet, terms),
        }
        for hit in hits
    ]
    context = {
        "q": q,
        "kind": kind,
        "kinds": list(SEARCH_KINDS.items()),
        "results": results,
        "page": page,
        "page_range": list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)),
        "searched": bool(q),
        "more_than": COUNT_LIMIT if total > COUNT_LIMIT else None,
    }
    template = "documents/search.html"
    if request.htmx and request.htmx.target == "results" and not request.htmx.history_restore_request:
        template = f"{template}#results"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


urlpatterns = [path("search/", search, name="search")]
