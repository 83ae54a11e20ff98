"""The demo province: Nghệ An after the 2025 reorganisation, loaded through the services.

The agencies, units, people, job descriptions and steering committees are in
``eiso/demo/content/organizations.json``. Everything is created by
``eiso.organizations.services`` with ``actor=None`` (the system), so the audit trail of a demo
installation is the real one. ``load()`` is idempotent: it looks objects up by their natural keys
(codes, usernames, decision numbers) and only creates what is missing; the two 2025 mergers run
only on the first load.

Passwords are not in the code: each demo user's password is derived from ``SECRET_KEY`` with
HMAC, so repeated loads print the same working password and each installation has its own.
"""

import base64
import datetime
import hashlib
import hmac
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from eiso.demo.content import read
from eiso.organizations import services
from eiso.organizations.choices import AgencyLevel, Role, SteeringRole, UnitKind
from eiso.organizations.models import Agency, JobDescription, SteeringCommittee, Unit, User

# --- the shape of the data ----------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    position: str
    unit: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    unit: str | None
    code: str
    position: str
    duties: str
    authority: str
    competence: str
    reports_to: str


@dataclass(frozen=True)
class Committee:
    decision_number: str
    decision_date: datetime.date
    signer: str
    members: tuple[tuple[str, str, str], ...]  # (username, SteeringRole, duties)
    name: str = ""


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    level: str
    valid_from: datetime.date | None
    parent: str | None
    address: str
    staff_since: datetime.date
    units: tuple[tuple[str, str, str], ...] = ()  # (code, name, UnitKind)
    people: tuple[Person, ...] = ()
    jobs: tuple[Job, ...] = ()
    committee: Committee | None = None


@dataclass(frozen=True)
class MergeSpec:
    """Sources become ``target`` on ``effective`` (agencies_merge); then duplicated offices are
    folded into one and the former heads of the absorbed agencies become deputies."""

    target: AgencySpec
    sources: tuple[AgencySpec, ...]
    effective: datetime.date
    # username: (roles, position) of people whose place changes after the merger
    after_merge: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)


# --- from the content file ---------------------------------------------------------------------------

DEFAULT_PARENT = "UBNDT"  # the People's Committee of the province
DEFAULT_STAFF_SINCE = datetime.date(2019, 7, 1)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _units(rows) -> tuple[tuple[str, str, str], ...]:
    return tuple((code, name, UnitKind(kind)) for code, name, kind in rows)


def _job(entry: dict, templates: dict) -> Job:
    template = templates.get(entry.get("template"), {})
    texts = {name: entry[name] if name in entry else template[name].format(**entry)
             for name in ("code", "position", "duties", "authority", "competence")}
    return Job(entry["unit"], reports_to=entry["reports_to"], **texts)


def _committee(entry: dict, duties: dict) -> Committee:
    members = tuple((username, SteeringRole(role), duties[role]) for username, role in entry["members"])
    return Committee(entry["decision_number"], _date(entry["decision_date"]), entry["signer"], members,
                     entry.get("name", ""))


def _agency(entry: dict, content: dict) -> AgencySpec:
    units = content["unit_sets"][entry["unit_set"]] if "unit_set" in entry else []
    return AgencySpec(
        entry["code"], entry["name"], entry["short_name"], AgencyLevel(entry["level"]), _date(entry["valid_from"]),
        parent=entry.get("parent", DEFAULT_PARENT), address=entry.get("address", ""),
        staff_since=_date(entry["staff_since"]) if "staff_since" in entry else DEFAULT_STAFF_SINCE,
        units=_units([*units, *entry.get("units", ())]),
        people=tuple(Person(p["username"], p["full_name"], p["position"], p["unit"], tuple(Role(r) for r in p["roles"]))
                     for p in entry.get("people", ())),
        jobs=tuple(_job(j, content["job_templates"]) for j in entry.get("jobs", ())),
        committee=_committee(entry["committee"], content["committee_duties"]) if "committee" in entry else None,
    )


def _province(content: dict) -> tuple[AgencySpec | MergeSpec, ...]:
    specs = []
    for entry in content["agencies"]:
        if "target" in entry:
            specs.append(MergeSpec(
                _agency(entry["target"], content), tuple(_agency(s, content) for s in entry["sources"]),
                _date(entry["effective"]),
                {u: (tuple(Role(r) for r in change["roles"]), change["position"])
                 for u, change in entry["after_merge"].items()}))
        else:
            specs.append(_agency(entry, content))
    return tuple(specs)


_CONTENT = read("organizations")
PROVINCE_CODE = _CONTENT["province"]["code"]
PROVINCE_NAME = _CONTENT["province"]["name"]
# In load order: a parent before its children, sources before their merger.
PROVINCE: tuple[AgencySpec | MergeSpec, ...] = _province(_CONTENT)


# --- passwords ------------------------------------------------------------------------------------------

def demo_password(username: str) -> str:
    """This installation's password of a demo user: HMAC-SHA256 of the username keyed by
    SECRET_KEY, base32, 12 characters in three groups (passes Django's validators)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"demo:{username}".encode(), hashlib.sha256).digest()
    code = base64.b32encode(digest).decode().lower()[:12]
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


# --- the loader ---------------------------------------------------------------------------------------

class _Loader:
    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.created: Counter[str] = Counter()

    def agency(self, spec: AgencySpec, province) -> Agency:
        agency = Agency.objects.filter(code=spec.code).first()
        if agency is None:
            parent = Agency.objects.get(code=spec.parent) if spec.parent else None
            agency = services.agency_create(
                actor=None, code=spec.code, name=spec.name, short_name=spec.short_name, level=spec.level,
                parent=parent, province=province, address=spec.address, valid_from=spec.valid_from,
            )
            self.created["agencies"] += 1
            self.log(f"  + {spec.code:<14} {spec.name}")
        self.contents(agency, spec)
        return agency

    def contents(self, agency: Agency, spec: AgencySpec) -> None:
        existing = set(agency.units.values_list("code", flat=True))
        for code, name, kind in spec.units:
            if code not in existing:
                services.unit_create(actor=None, agency=agency, code=code, name=name, kind=kind)
                self.created["units"] += 1
        for person in spec.people:
            self.person(agency, spec, person)
        for job in spec.jobs:
            if not JobDescription.objects.filter(agency=agency, code=job.code).exists():
                services.job_description_create(
                    actor=None, agency=agency, unit=self.unit(agency, job.unit), code=job.code,
                    position=job.position, duties=job.duties, authority=job.authority,
                    competence=job.competence, reports_to=job.reports_to,
                )
                self.created["job descriptions"] += 1
        if spec.committee:
            self.committee(agency, spec.committee)

    @staticmethod
    def unit(agency: Agency, code: str | None) -> Unit | None:
        return agency.units.get(code=code) if code else None

    def person(self, agency: Agency, spec: AgencySpec, person: Person) -> None:
        if User.objects.filter(username__iexact=person.username).exists():
            return
        services.user_create(
            actor=None, username=person.username, full_name=person.full_name, agency=agency,
            roles=list(person.roles), email=f"{person.username}@example.gov.vn",
            password=demo_password(person.username), unit=self.unit(agency, person.unit),
            position=person.position, valid_from=max(filter(None, (spec.valid_from, spec.staff_since))),
        )
        self.created["people"] += 1

    def committee(self, agency: Agency, spec: Committee) -> None:
        committee = SteeringCommittee.objects.filter(agency=agency,
                                                     decision_number=spec.decision_number).first()
        if committee is None:
            committee = services.steering_committee_create(
                actor=None, agency=agency,
                name=spec.name or f"Ban chỉ đạo ISO {agency.short_name or agency.name}",
                decision_number=spec.decision_number, decision_date=spec.decision_date,
                decision_signer=spec.signer,
            )
            self.created["steering committees"] += 1
        present = set(committee.members.values_list("user__username", flat=True))
        for username, role, duties in spec.members:
            if username not in present:
                services.steering_member_add(actor=None, committee=committee, role=role, duties=duties,
                                             user=User.objects.get(username=username))
                self.created["committee members"] += 1

    def merger(self, spec: MergeSpec, province) -> Agency:
        target = Agency.objects.filter(code=spec.target.code).first()
        if target is None:
            sources = [self.agency(source, province) for source in spec.sources]
            parent = Agency.objects.get(code=spec.target.parent) if spec.target.parent else None
            target = services.agencies_merge(
                actor=None, sources=sources, code=spec.target.code, name=spec.target.name,
                short_name=spec.target.short_name, level=spec.target.level, parent=parent,
                effective_date=spec.effective, address=spec.target.address,
            )
            self.fold_duplicate_units(target, sources)
            for username, (roles, position) in spec.after_merge.items():
                user = User.objects.get(username=username)
                services.membership_change(actor=None, user=user, roles=list(roles),
                                           unit=user.membership.unit)
                services.user_update(actor=None, user=user, position=position)
            self.created["agencies"] += 1
            self.log(f"  + {spec.target.code:<14} {spec.target.name} "
                     f"(merged from {', '.join(s.code for s in sources)} on {spec.effective:%d/%m/%Y})")
        self.contents(target, spec.target)
        return target

    @staticmethod
    def fold_duplicate_units(target: Agency, sources: list[Agency]) -> None:
        """agencies_merge copies every unit; the offices both sources had (SKHDT-VP beside VP…)
        become one: their people move to the first source's unit and the copy is closed."""
        units = {u.code: u for u in target.units.all()}
        for source in sources:
            prefix = f"{source.code}-"
            for code, duplicate in units.items():
                keep = units.get(code.removeprefix(prefix))
                if not code.startswith(prefix) or keep is None:
                    continue
                for membership in duplicate.memberships.filter(valid_to__isnull=True).select_related("user"):
                    services.membership_change(actor=None, user=membership.user, unit=keep,
                                               roles=sorted(membership.roles))
                services.unit_update(actor=None, unit=duplicate, is_active=False)


def _people() -> list[str]:
    usernames = []
    for spec in PROVINCE:
        for agency in (spec.sources + (spec.target,)) if isinstance(spec, MergeSpec) else (spec,):
            usernames.extend(p.username for p in agency.people)
    return usernames


def logins() -> list[dict]:
    """Each demo user with this installation's password and their current agency, unit and roles."""
    order = list(Role.values)
    users = {u.username: u for u in User.objects.filter(username__in=_people())}
    result = []
    for username in _people():
        user = users.get(username)
        membership = user.membership if user else None
        if membership is None:
            continue
        result.append({
            "username": username,
            "password": demo_password(username),
            "full_name": user.full_name,
            "position": user.position,
            "agency": membership.agency.code,
            "agency_name": membership.agency.name,
            "unit": membership.unit.code if membership.unit else None,
            "roles": sorted(membership.roles, key=order.index),
        })
    return result


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    """Create whatever of the demo province is missing; return the demo logins."""
    log = out or (lambda _message: None)
    loader = _Loader(log)
    if not User.objects.filter(username__in=_people()).exists():
        log(f"Loading the demo province: {len(_people())} people, each password hashed at full strength "
            "(about a second each)…")
    with transaction.atomic():
        province = services.province_ensure(code=PROVINCE_CODE, name=PROVINCE_NAME, actor=None)
        log(f"{PROVINCE_NAME} ({PROVINCE_CODE}):")
        for spec in PROVINCE:
            if isinstance(spec, MergeSpec):
                loader.merger(spec, province)
            else:
                loader.agency(spec, province)
    if loader.created:
        log("Created " + ", ".join(f"{n} {what}" for what, n in loader.created.items()) + ".")
    else:
        log("Already loaded: nothing to create.")
    return logins()
