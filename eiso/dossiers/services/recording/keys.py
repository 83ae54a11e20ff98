"""PostgreSQL, a first large import: the dossier table loaded without its foreign keys.

Checked row by row, the dossier table's foreign keys (agency, procedure, process, current unit;
DEFERRABLE INITIALLY DEFERRED, as Django makes them) cost a first import of 1,000,000 dossiers
4,000,000 trigger calls at ``SET CONSTRAINTS ALL IMMEDIATE`` (19 s of server CPU, 24 s of its
switch). Instead (``StagedImport.unkey`` and ``switch``, ``_record_staged``):

1. ``foreign_keys_drop``, just before the switch, in a short transaction of its own: they are
   dropped. Dropping a foreign key locks the table it points at ACCESS EXCLUSIVE (its readers wait
   too) until the commit, so this transaction waits at most ``LOCK_TIMEOUT`` for those locks; beyond
   it nothing is dropped, and the import checks its rows one by one as before. (Inside the switch the
   same lock would keep every page of every agency waiting for the whole switch.)
2. ``locks_together``, at the switch's start: every lock the switch will hold is taken there, all
   together, and never waited for while some are held: SHARE ROW EXCLUSIVE on the tables the keys
   point at (what adding them back takes), ACCESS EXCLUSIVE on the dossier table (and the event
   table, loaded bare), the advisory lock of a first import and the import's agency rows. Taken at
   the end instead, SHARE ROW EXCLUSIVE was a lock escalation: a transaction that had written one of
   those tables and then waited for the switch's table or agency locks deadlocked with it, and
   PostgreSQL aborted one side, possibly the import after all its work. Each attempt waits at most
   ``SWITCH_LOCK_TIMEOUT`` for each lock (less than ``deadlock_timeout``), inside a savepoint whose
   rollback gives back all it took; the next follows a pause that grows. Beyond ``SWITCH_LOCK_WAIT``
   the switch gives up before writing anything (``LocksBusy``): the keys are added back (4) and the
   import switches again with its rows checked one by one. From then until the commit the tables
   the keys point at have readers, and inserts that point at them, but no writer: none of their
   rows is deleted or re-keyed (no row lock needed on them), and the writers wait for the switch.
3. ``foreign_keys_add``, at the switch's end: they are added again, same names and definitions, each
   validated by one join, under the locks of 2.
4. ``foreign_keys_restore``: a switch that fails or is refused adds them back in a transaction of its
   own (its rows are gone with it: at once) before its error goes on.
5. ``foreign_keys_recover``, at the start of every import and of every task worker (a sweeper): an
   import that died between 1 and its commit left them missing; any foreign key of the Dossier
   model missing from the database is added again as its migration made it (Django's schema editor:
   the same name and definition by construction, with no record of them to keep).

From 1 to the end of 4 the import's connection holds a session advisory lock (``_KEYS``): another
import neither drops nor "recovers" the keys meanwhile, and a connection that dies releases it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, OperationalError, connection, transaction

logger = logging.getLogger(__name__)

LOCK_TIMEOUT = "2s"  # how long dropping the keys may wait for the tables they point at (and pages for it)
_KEYS = "hashtext('eiso_dossier_foreign_keys')"  # the session advisory lock of 1-4
SWITCH_LOCK_TIMEOUT = "200ms"  # 2: an attempt's wait for each lock (under deadlock_timeout, 1 s by default)
SWITCH_LOCK_PAUSE = (0.05, 1.0)  # 2: the pause after the first attempt that failed, doubled up to the second
SWITCH_LOCK_WAIT = 30.0  # 2: seconds of attempts before the switch gives up (``LocksBusy``)


class LocksBusy(Exception):
    """2. The switch's locks were not had all together within ``SWITCH_LOCK_WAIT``; nothing written."""


@dataclass(frozen=True)
class ForeignKey:
    name: str
    definition: str  # pg_get_constraintdef
    column: str
    target_table: str  # quoted as needed (regclass)
    target_column: str


def _foreign_keys(cursor, table: str) -> list[ForeignKey]:
    """``table``'s single-column foreign keys, as the database has them."""
    cursor.execute("SELECT c.conname, pg_get_constraintdef(c.oid), a.attname, c.confrelid::regclass::text, "
                   "t.attname FROM pg_constraint c "
                   "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                   "JOIN pg_attribute t ON t.attrelid = c.confrelid AND t.attnum = c.confkey[1] "
                   "WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND cardinality(c.conkey) = 1 "
                   "ORDER BY c.conname", [table])
    return [ForeignKey(*row) for row in cursor.fetchall()]


def foreign_keys_drop(table: str) -> list[ForeignKey]:
    """1. ``table``'s foreign keys dropped in a transaction of their own, when ``table`` is empty and
    the tables they point at can be locked within ``LOCK_TIMEOUT``; returns them (with the advisory
    lock held: ``foreign_keys_release`` after the switch), or none (nothing done, no lock held).
    Not inside a transaction of the caller's: the locks would last until its end."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    quote = connection.ops.quote_name
    keys: list[ForeignKey] = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_lock({_KEYS})")
        if not cursor.fetchone()[0]:  # another import is between its 1 and 4
            return []
        dropped = False
        try:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608 (a model's table)
            if not cursor.fetchone()[0]:
                with transaction.atomic():
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                    keys = _foreign_keys(cursor, table)
                    if keys:
                        cursor.execute(f"ALTER TABLE {quote(table)} "
                                       + ", ".join(f"DROP CONSTRAINT {quote(k.name)}" for k in keys))
                dropped = bool(keys)
        except OperationalError as exc:  # the locks not had in time (or a reader of the dossiers that held
            # the agencies' first, then waited for ours: deadlock_detected): the rows are checked one by one
            if getattr(exc.__cause__, "sqlstate", None) not in ("55P03", "40P01"):
                raise
        finally:
            if not dropped:
                foreign_keys_release()
    return keys if dropped else []


def foreign_keys_tables(keys: list[ForeignKey]) -> list[str]:
    """The tables ``keys`` point at, each once, sorted (the order every import locks them in)."""
    return sorted({k.target_table for k in keys})


def locks_together(take: Callable[[object], None]) -> None:
    """2. ``take(cursor)``'s locks had all together: attempts in a savepoint, each waiting at most
    ``SWITCH_LOCK_TIMEOUT`` for each lock; one that times out gives back all it took (ROLLBACK TO
    SAVEPOINT: table, row and advisory locks alike) and the next follows a pause that grows; beyond
    ``SWITCH_LOCK_WAIT`` ``LocksBusy`` is raised. The caller's ``lock_timeout`` stays as it was."""
    pause, cap = SWITCH_LOCK_PAUSE
    deadline = time.monotonic() + SWITCH_LOCK_WAIT
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        before = cursor.fetchone()[0]
        while True:
            try:
                with transaction.atomic():
                    cursor.execute(f"SET LOCAL lock_timeout = '{SWITCH_LOCK_TIMEOUT}'")
                    take(cursor)
                break
            except OperationalError as exc:  # a lock not had in time (or, should deadlock_timeout be shorter,
                # a deadlock found while waiting): all given back, tried again after a pause
                if getattr(exc.__cause__, "sqlstate", None) not in ("55P03", "40P01"):
                    raise
                if time.monotonic() + pause > deadline:
                    logger.warning("The import's switch did not have its locks within %s s; its dossiers' "
                                   "foreign keys are checked row by row.", SWITCH_LOCK_WAIT)
                    raise LocksBusy from exc
            time.sleep(pause)
            pause = min(2 * pause, cap)
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])


def foreign_keys_add(cursor, table: str, keys: list[ForeignKey]) -> None:
    """3. ``keys`` added to ``table`` again, those it does not have (same names and definitions),
    each validated by one join. (SHARE ROW EXCLUSIVE on ``table`` and on the tables they point at:
    in the switch, held since 2.)"""
    quote = connection.ops.quote_name
    present = {k.name for k in _foreign_keys(cursor, table)}
    missing = [k for k in keys if k.name not in present]
    if missing:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE with key checks pending
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"ALTER TABLE {quote(table)} "
                       + ", ".join(f"ADD CONSTRAINT {quote(k.name)} {k.definition}" for k in missing))


def foreign_keys_restore(table: str, keys: list[ForeignKey]) -> None:
    """4. After a failed switch: ``keys`` added back in a transaction of their own. Should that fail
    too (a broken connection), it is logged and the switch's own error goes on: the next import
    recovers them (5)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            foreign_keys_add(cursor, table, keys)
    except DatabaseError:
        logger.exception("The dossier table's foreign keys could not be added back; the next import will.")


def foreign_keys_release() -> None:
    """The advisory lock of 1-4 released (a connection that broke has released it already)."""
    with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_unlock({_KEYS})")


def foreign_keys_recover(model) -> list[str]:
    """5. ``model``'s foreign keys missing from the database (an import died between 1 and its
    commit) added again, as its migration made them; unless another import is between its 1 and 4
    (it adds them itself). One catalog query when none is missing. Returns the names added."""
    if connection.vendor != "postgresql":
        return []
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if f.remote_field and f.db_constraint]
    with connection.cursor() as cursor:
        present = {k.column for k in _foreign_keys(cursor, table)}
        missing = [f for f in fields if f.column not in present]
        if not missing:
            return []
        # In a caller's transaction the keys added stay uncommitted until its end: so does the lock
        # (released earlier, another recovery would find them still missing and fail adding them).
        inside = connection.in_atomic_block
        cursor.execute(f"SELECT {'pg_try_advisory_xact_lock' if inside else 'pg_try_advisory_lock'}({_KEYS})")
        if not cursor.fetchone()[0]:
            return []
    try:
        with connection.schema_editor() as editor:  # (its own transaction, or the caller's)
            statements = [editor._create_fk_sql(model, f, "_fk_%(to_table)s_%(to_column)s") for f in missing]
            with connection.cursor() as cursor:  # found missing again, under the lock
                present = {k.column for k in _foreign_keys(cursor, table)}
            added = []
            editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE with key checks pending (a
            editor.execute("SET CONSTRAINTS ALL DEFERRED")  # caller's transaction)
            for field, statement in zip(missing, statements, strict=True):
                if field.column not in present:
                    editor.execute(statement)
                    added.append(str(statement.parts["name"]).strip('"'))
    finally:
        if not inside:
            foreign_keys_release()
    if added:
        logger.warning("The dossier table's foreign keys %s were missing (an import died); added again.",
                       ", ".join(added))
    return added


def dossier_foreign_keys_recover() -> int:
    """5 when a task worker starts (``core.workers.register_sweeper``): the dossier table's foreign keys
    an import that died with its worker left missing, added back; how many."""
    from eiso.dossiers.models import Dossier

    return len(foreign_keys_recover(Dossier))
