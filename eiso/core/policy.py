"""Scope policies: who may do what to which object, declared once and asked two ways.

Each scoped model declares, once, how it reaches its agency (and, where it has them, its unit
and its parent objects)::

    class Finding(models.Model):
        scope = Scope(agency="audit__agency", audit="audit", unit="unit")

Each app builds one ``ScopePolicy`` from rules written with the conditions below
(``Superuser() | (HasRole(Role.QMS_SECRETARY) & SameAgency())``). The policy answers both
questions Wagtail's permission policies answer (``user_has_permission_for_instance`` and
``instances_user_has_permission_for``):

- ``policy.allows(user, action, obj)``: may ``user`` do ``action`` to ``obj``?
- ``policy.filter(user, action, queryset)``: the objects of ``queryset`` on which they may.

Every condition answers both from the same declaration (``test`` in Python for one object,
``q`` as a database filter), so the predicate and the queryset filter cannot drift apart;
``tests/test_policy_agreement.py`` checks that they agree for every rule, model and persona.
The policy also registers each rule with ``rules`` (``user.has_perm("audits.add_finding", obj)``
and templates keep working), and ``require`` is the one check services make.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import rules
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from eiso.core.errors import Forbidden

POLICIES: dict[str, ScopePolicy] = {}


# --- what a model declares --------------------------------------------------------------------------

class Scope:
    """How a model reaches its agency and the other objects rules look at.

    Each value is a Django lookup path from the model (``""`` means the object itself):
    ``agency`` is required; ``unit`` (the unit the object is about), and any parent a rule of
    the app names (``audit``, ``revision``, ``document``…) are optional. ``many=True`` when the
    agency path crosses a to-many relation (a person reaches agencies through memberships).
    """

    def __init__(self, *, agency: str, many: bool = False, **anchors: str):
        self.paths = {"agency": agency, **anchors}
        self.many = many

    def path(self, anchor: str) -> str | None:
        return self.paths.get(anchor)

    def __repr__(self):
        return f"Scope({self.paths})"


def scope_of(model) -> Scope:
    scope = getattr(model, "scope", None)
    if not isinstance(scope, Scope):
        raise TypeError(f"{model.__name__} declares no Scope: add `scope = Scope(agency=…)` to the model")
    return scope


def join(*parts: str) -> str:
    return "__".join(p for p in parts if p)


def id_lookup(path: str) -> str:
    """The lookup of the id at ``path``: ``"audit__agency"`` → ``"audit__agency_id"``, ``""`` → ``"pk"``."""
    return f"{path}_id" if path else "pk"


def values_at(obj, path: str) -> list:
    """The objects reached from ``obj`` along ``path``, following foreign keys and to-many managers."""
    objs = [obj]
    for part in path.split("__") if path else ():
        reached = []
        for o in objs:
            value = getattr(o, part, None)
            if value is None:
                continue
            if hasattr(value, "all") and not isinstance(value, Model):  # a related manager
                reached.extend(value.all() if getattr(o, "pk", None) else [])
            else:
                reached.append(value)
        objs = reached
    return objs


def ids_at(obj, path: str) -> set:
    """The ids at the end of ``path`` (``"audit__agency"``), read from the foreign key columns
    (``audit.agency_id``) so that the last object is not loaded."""
    if not path:
        return {obj.pk} if getattr(obj, "pk", None) is not None else set()
    head, _sep, last = path.rpartition("__")
    ids = {getattr(o, f"{last}_id", None) for o in values_at(obj, head)}
    ids.discard(None)
    return ids


# --- who is asking ----------------------------------------------------------------------------------

@dataclass
class Viewer:
    """What the rules need to know of the user, read once per user object."""

    pk: int | None = None
    active: bool = False
    superuser: bool = False
    roles: frozenset = frozenset()
    agency_id: int | None = None
    province_id: int | None = None
    agency_level: str = ""
    unit_id: int | None = None
    cache: dict = field(default_factory=dict, repr=False)  # what conditions read once per user


def viewer_of(user) -> Viewer:
    """The ``Viewer`` of ``user``, kept on the user object for as long as its cached membership
    (``User.membership``) is the same: a service that moves a person drops both."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Viewer()
    m = user.membership
    cached = user.__dict__.get("_scope_viewer")
    if cached is not None and cached[0] is m:
        return cached[1]
    viewer = Viewer(pk=user.pk, active=True, superuser=user.is_superuser,
                    roles=m.roles if m else frozenset(),
                    agency_id=m.agency_id if m else None,
                    province_id=m.agency.province_id if m else None,
                    agency_level=m.agency.level if m else "",
                    unit_id=m.unit_id if m else None,
                    # what the membership's own query already told (e.g. an empty lineage)
                    cache=dict(m.scope_facts()) if m is not None and hasattr(m, "scope_facts") else {})
    user.__dict__["_scope_viewer"] = (m, viewer)
    return viewer


# --- conditions -------------------------------------------------------------------------------------
# ``q`` returns True (every row), False (no row) or a Q over the model's rows.

class Condition:
    def test(self, viewer: Viewer, obj) -> bool:
        raise NotImplementedError

    def q(self, viewer: Viewer, model) -> Q | bool:
        raise NotImplementedError

    def __and__(self, other):
        return All(self, other)

    def __or__(self, other):
        return Any(self, other)

    def __invert__(self):
        return Not(self)


class All(Condition):
    def __init__(self, *parts):
        self.parts = [p for c in parts for p in (c.parts if isinstance(c, All) else [c])]

    def test(self, viewer, obj):
        return all(p.test(viewer, obj) for p in self.parts)

    def q(self, viewer, model):
        result = True
        for part in self.parts:
            q = part.q(viewer, model)
            if q is False:
                return False
            if q is not True:
                result = q if result is True else result & q
        return result


class Any(Condition):
    def __init__(self, *parts):
        self.parts = [p for c in parts for p in (c.parts if isinstance(c, Any) else [c])]

    def test(self, viewer, obj):
        return any(p.test(viewer, obj) for p in self.parts)

    def q(self, viewer, model):
        result = False
        for part in self.parts:
            q = part.q(viewer, model)
            if q is True:
                return True
            if q is not False:
                result = q if result is False else result | q
        return result


class Not(Condition):
    def __init__(self, part):
        self.part = part

    def test(self, viewer, obj):
        return not self.part.test(viewer, obj)

    def q(self, viewer, model):
        q = self.part.q(viewer, model)
        return (not q) if isinstance(q, bool) else ~q


class UserCondition(Condition):
    """A condition on the user alone: the same answer for every object."""

    def check(self, viewer: Viewer) -> bool:
        raise NotImplementedError

    def test(self, viewer, obj):
        return self.check(viewer)

    def q(self, viewer, model):
        return self.check(viewer)


class Superuser(UserCondition):
    def check(self, viewer):
        return viewer.superuser


class HasRole(UserCondition):
    def __init__(self, *roles: str):
        self.roles = frozenset(roles)

    def check(self, viewer):
        return bool(viewer.roles & self.roles)


class IsMember(UserCondition):
    """The user belongs to an agency (has a current membership)."""

    def check(self, viewer):
        return viewer.agency_id is not None


class AnchorCondition(Condition):
    """A condition on the object reached through one of the model's declared anchors."""

    anchor = "agency"

    def path(self, model) -> str | None:
        return scope_of(model).path(self.anchor)

    def test(self, viewer, obj):
        if obj is None or not viewer.active:
            return False
        path = self.path(type(obj))
        return path is not None and self.test_ids(viewer, obj, path)

    def q(self, viewer, model):
        path = self.path(model)
        if path is None or not viewer.active:
            return False
        return self.q_path(viewer, path)

    def test_ids(self, viewer, obj, path) -> bool:
        raise NotImplementedError

    def q_path(self, viewer, path) -> Q | bool:
        raise NotImplementedError


class SameAgency(AnchorCondition):
    """The object belongs to the user's agency."""

    def test_ids(self, viewer, obj, path):
        return viewer.agency_id is not None and viewer.agency_id in ids_at(obj, path)

    def q_path(self, viewer, path):
        return viewer.agency_id is not None and Q(**{id_lookup(path): viewer.agency_id})


class SameProvince(AnchorCondition):
    """The object belongs to an agency of the user's province."""

    def test_ids(self, viewer, obj, path):
        if viewer.province_id is None:
            return False
        return any(a.province_id == viewer.province_id for a in values_at(obj, path))

    def q_path(self, viewer, path):
        if viewer.province_id is None:
            return False
        return Q(**{join(path, "province_id"): viewer.province_id})


class AgencyActive(AnchorCondition):
    """The object's agency exists today (an ended agency takes no new work)."""

    def test_ids(self, viewer, obj, path):
        return any(a.is_active for a in values_at(obj, path))

    def q_path(self, viewer, path):
        today: datetime.date = timezone.localdate()
        return ((Q(**{join(path, "valid_from__lte"): today}) | Q(**{join(path, "valid_from__isnull"): True}))
                & (Q(**{join(path, "valid_to__gte"): today}) | Q(**{join(path, "valid_to__isnull"): True})))


class InOwnUnit(AnchorCondition):
    """The object is about the user's own unit (the unit the model declares as ``unit``)."""

    anchor = "unit"

    def test_ids(self, viewer, obj, path):
        return viewer.unit_id is not None and viewer.unit_id in ids_at(obj, path)

    def q_path(self, viewer, path):
        return viewer.unit_id is not None and Q(**{id_lookup(path): viewer.unit_id})


class UserIs(AnchorCondition):
    """The user is the object's ``field`` (``UserIs("owner")``), or its ``via`` parent's
    (``UserIs("lead_auditor", via="audit")``)."""

    def __init__(self, field_name: str, *, via: str | None = None):
        self.field_name = field_name
        self.anchor = via

    def path(self, model):
        if self.anchor is None:
            return self.field_name
        base = scope_of(model).path(self.anchor)
        return None if base is None else join(base, self.field_name)

    def test_ids(self, viewer, obj, path):
        return viewer.pk in ids_at(obj, path)

    def q_path(self, viewer, path):
        return Q(**{id_lookup(path): viewer.pk})


class Flag(Condition):
    """A boolean field of the object itself is true (``Flag("is_superuser")``)."""

    def __init__(self, field_name: str):
        self.field_name = field_name

    def test(self, viewer, obj):
        return obj is not None and bool(getattr(obj, self.field_name, False))

    def q(self, viewer, model):
        return Q(**{self.field_name: True})


class Related(Condition):
    """The object's ``anchor`` has a row of ``model`` (given by the callable, to avoid importing
    later apps) whose ``user`` is the user: e.g. the user sits on the audit's team."""

    def __init__(self, anchor: str, rows, *, fk: str, user_field: str = "user"):
        self.anchor, self.rows, self.fk, self.user_field = anchor, rows, fk, user_field

    def _base(self, model):
        return scope_of(model).path(self.anchor)

    def test(self, viewer, obj):
        if obj is None or not viewer.active:
            return False
        base = self._base(type(obj))
        if base is None:
            return False
        ids = ids_at(obj, base)
        rows = self.rows().filter(**{f"{self.fk}_id__in": ids, f"{self.user_field}_id": viewer.pk})
        return bool(ids) and rows.exists()

    def q(self, viewer, model):
        base = self._base(model)
        if base is None or not viewer.active:
            return False
        return Q(Exists(self.rows().filter(**{f"{self.fk}_id": OuterRef(id_lookup(base)),
                                              f"{self.user_field}_id": viewer.pk})))


# --- the policy -------------------------------------------------------------------------------------

@dataclass
class Rule:
    """A condition and the models whose objects the rule takes (the agreement test walks them)."""

    condition: Condition
    takes: tuple = ()


class ScopePolicy:
    """One app's rules: ``allows`` for one object, ``filter`` for a queryset, from the same conditions.

    An active superuser may do everything, as Django's own ``has_perm`` says."""

    def __init__(self, app_label: str, rules_by_action: dict[str, Rule | Condition]):
        self.app_label = app_label
        self.rules = {action: r if isinstance(r, Rule) else Rule(r) for action, r in rules_by_action.items()}
        POLICIES[app_label] = self
        for action in self.rules:
            self._register(action)

    def _register(self, action: str) -> None:
        policy = self

        def predicate(user, obj=None):
            return policy.allows(user, action, obj)

        perm = f"{self.app_label}.{action}"
        rules.set_perm(perm, rules.predicate(predicate, name=perm))

    def condition(self, action: str) -> Condition:
        try:
            return self.rules[action].condition
        except KeyError:
            raise KeyError(f"{self.app_label} has no rule for {action!r}") from None

    def allows(self, user, action: str, obj=None) -> bool:
        viewer = viewer_of(user)
        condition = self.condition(action)
        return viewer.superuser or condition.test(viewer, obj)

    def filter(self, user, action: str, queryset) -> QuerySet:
        """The objects of ``queryset`` on which ``user`` may do ``action``, as a queryset."""
        queryset = queryset.all()
        model = queryset.model
        viewer = viewer_of(user)
        condition = self.condition(action)
        q = True if viewer.superuser else condition.q(viewer, model)
        if q is True:
            return queryset
        if q is False:
            return queryset.none()
        if scope_of(model).many:  # a to-many path would repeat rows: filter by id instead
            return queryset.filter(pk__in=model._default_manager.filter(q).values("pk"))
        return queryset.filter(q)


def _policy_and_action(perm: str) -> tuple[ScopePolicy, str]:
    app_label, _dot, action = perm.partition(".")
    return POLICIES[app_label], action


def permitted(user, perm: str, queryset) -> QuerySet:
    """The objects of ``queryset`` on which ``user`` holds ``perm`` (``"documents.add_document"``),
    filtered in the database by the app's policy (for choice lists and "which agencies may I…")."""
    policy, action = _policy_and_action(perm)
    return policy.filter(user, action, queryset)


def require(user, perm: str, obj=None) -> None:
    """Raise ``Forbidden`` unless ``user`` holds ``perm`` on ``obj``. ``user=None`` is the system
    itself (commands, the demo loader, migrations): it is not checked."""
    if user is not None and not user.has_perm(perm, obj):
        raise Forbidden()
