"""Data changed: how an earlier app tells later ones that figures computed from its data are stale.

An app imports no later app, yet a quality objective (a later app) is measured from dossiers,
corrective actions, complaints, evaluations… (earlier apps). So the earlier app's service calls
``data_changed_announce(sender=…, agency_id=…, topic=…)`` when it changes such data; the signal
goes out once the transaction commits (a rolled-back import announces nothing), and a later app
connects a receiver in its ``AppConfig.ready`` (the objectives app queues a recompute).

Topics (what changed, for one agency): ``dossiers`` (events recorded: received, finished,
classified), ``corrective_actions`` (an action due, closed), ``complaints`` (recorded, answered),
``satisfaction`` (evaluations imported), ``audits`` (planned, reported, closed), ``legal_reviews``
(a review task opened or done), ``procedures`` (an operational procedure took effect).

Announce only through ``data_changed_announce``: it is what moves the agency's data generation
(``eiso.core.freshness.data_announced``), and freshness does not listen to the signal. A direct
``data_changed.send(...)`` reaches the receivers but leaves the generation where it was: figures
cached from data written without ``save()`` (``QuerySet.update``, bulk inserts, ``COPY``) and known
only by that announcement would still be served.
"""

from django.db import transaction
from django.dispatch import Signal

from eiso.core import freshness

TOPICS = frozenset({"dossiers", "corrective_actions", "complaints", "satisfaction", "audits", "legal_reviews",
                    "procedures"})

# Sent with ``agency_id`` (int) and ``topic`` (one of TOPICS).
data_changed = Signal()


def data_changed_announce(*, sender, agency_id: int | None, topic: str) -> None:
    """Announce, once the current transaction commits, that ``topic`` data of the agency changed.
    The same announcement twice in one transaction goes out once."""
    if topic not in TOPICS:
        raise ValueError(topic)
    if agency_id is None:
        return
    # Counted at once with the transaction's other writes of the agency (eiso.core.freshness: one
    # count per transaction and agency), not again when it is sent.
    freshness.data_announced(agency_id)
    key = (agency_id, topic)
    connection = transaction.get_connection()
    # Announced already in this transaction and not sent yet: that one goes out whenever this one
    # would (a rolled-back savepoint takes its own callbacks with it), so a loop of changes, or an
    # import made of many service calls, announces once.
    if any(getattr(func, "eiso_change", None) == key and not func.sent for _sids, func, *_ in connection.run_on_commit):
        return

    def send():
        send.sent = True
        data_changed.send(sender=sender, agency_id=agency_id, topic=topic)

    send.eiso_change, send.sent = key, False
    transaction.on_commit(send, robust=True)  # a listener that fails is logged; the change stands
