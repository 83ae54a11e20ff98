"""Panels: what a later app shows inside an earlier app's page.

An app imports no later app, and its templates load no later app's template tags. Instead an
earlier app's template names a slot and hands over what the page shows, e.g.
``{% load panels %}{% panels "audits.findings" findings=findings as extras %}``; a later app
registers a contributor for that slot in its ``AppConfig.ready``: a function
``(request, **objects) -> Panel | None``. The page renders each panel's templates where it has
room for them, and nothing when no app contributes.

Slots today: ``audits.findings`` (a column and a summary beside the findings of an audit and of
the findings list; ``findings=``) and ``dossiers.statistics.step`` (a cell of the statistics per
process step; no object), and ``improvements.attention`` (a card beside the warnings of the
page of what needs attention; no object), and ``audits.team`` (under the team of an audit:
``audit=``, ``members=``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    """One app's contribution to a slot. Each template is rendered with the page's context plus
    ``panel``; which of them a page renders is up to the page."""

    title: str = ""  # the heading of a column
    cell: str = ""  # a template rendered in each row, with the row's object
    summary: str = ""  # a template rendered once, above the rows
    data: Any = None  # what the contributor read for the whole page (once, not once per row)


Contributor = Callable[..., Panel | None]

_contributors: dict[str, list[Contributor]] = {}


def panel_register(slot: str, contributor: Contributor) -> None:
    """Contribute to ``slot`` (once, however often the app is made ready)."""
    contributors = _contributors.setdefault(slot, [])
    if contributor not in contributors:
        contributors.append(contributor)


def panels_for(slot: str, request, **objects) -> list[Panel]:
    """The panels of ``slot`` for this request, in the order the apps registered them."""
    return [
        panel
        for contributor in _contributors.get(slot, ())
        if (panel := contributor(request, **objects)) is not None
    ]
