"""Advisories: what a later app has to say about a write an earlier app is about to make.

An app imports no later app, yet some of its writes depend on what a later app records: an
internal audit's team is checked against the training records of ``eiso.people``. The earlier
app names a topic and hands over the objects concerned, e.g.
``advisories_for("audits.team", agency=agency, people=[lead, *members])``; a later app registers
an adviser for that topic in its ``AppConfig.ready``: a function ``(**objects) -> list[Advisory]``.
A blocking advisory is a refusal (the service raises it as a validation error on ``field``); the
others are warnings the page and the API show beside the saved object. With no adviser
registered, there is nothing to say.

Topics today: ``audits.team`` (``agency=``, ``people=``: the lead auditor and the members).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Advisory:
    message: str
    blocking: bool = False  # True: the write is refused with this message
    field: str = ""  # the form field the message belongs to, when it is refused
    person_id: int | None = None  # the person it is about, when it is about one


Adviser = Callable[..., list[Advisory]]

_advisers: dict[str, list[Adviser]] = {}


def advisory_register(topic: str, adviser: Adviser) -> None:
    """Advise on ``topic`` (once, however often the app is made ready)."""
    advisers = _advisers.setdefault(topic, [])
    if adviser not in advisers:
        advisers.append(adviser)


def advisories_for(topic: str, **objects) -> list[Advisory]:
    """Everything the registered advisers say about ``topic``, in the order they registered."""
    return [advisory for adviser in _advisers.get(topic, ()) for advisory in adviser(**objects)]
