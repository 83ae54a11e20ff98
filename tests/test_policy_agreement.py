"""The scope policy answers "may this user do X to this object?" and "which objects?" from one
declaration; here both answers must agree, for every rule of every app, every model the rule
takes, every object of the isolation walk's world and every persona."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from eiso.audits import services as audit_services
from eiso.core.policy import POLICIES
from eiso.documents.models import DistributionEntry
from eiso.documents.services import revisions as document_services
from eiso.improvements import services as improvement_services
from eiso.organizations.choices import AgencyLevel, Role
from eiso.organizations.tests.factories import AgencyFactory, make_user
from eiso.oversight import services as oversight_services
from eiso.oversight.choices import POINTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(world, agency_a, a_head, a_secretary, a_unit_head, a_staff, b_staff, b_head, overseer, admin_user,
             q_overseer, province, django_user_model):
    # Agency A was merged into C, and C into D: D's staff read A's past (the whole chain).
    c = AgencyFactory(code="C-MERGED", name="Sở sau hợp nhất lần một", province=province)
    d = AgencyFactory(code="D-MERGED", name="Sở sau hợp nhất lần hai", province=province)
    c.predecessors.add(agency_a)
    d.predecessors.add(c)
    d_staff = make_user(d, [Role.STAFF, Role.QMS_SECRETARY], username="d_staff")
    # The kinds of object the walk's world does not need: a team member, a comment, a reader, a verification.
    team_auditor = make_user(agency_a, [Role.AUDITOR], username="team_auditor")
    audit_services.team_member_add(actor=None, audit=world.audit, user=team_auditor)
    document_services.comment_add(actor=a_staff, revision=world.revision, body="Góp ý của Sở A")
    DistributionEntry.objects.create(revision=world.revision, user=a_staff)
    action = world.corrective_action
    improvement_services.corrective_action_implement(actor=None, action=action, evidence="Đã làm",
                                                    implemented_on=datetime.date(2026, 4, 1))
    improvement_services.corrective_action_verify(actor=None, action=action, effective=True,
                                                 verified_on=datetime.date(2026, 4, 2))
    # An inspection's minutes, with its finding (a nonconformity of A); a person of the province's People's Committee.
    oversight_services.inspection_checklist_save(
        actor=None, inspection=world.inspection, inspected_on=datetime.date(2026, 5, 12),
        results={**{p.code: {"result": "met"} for p in POINTS}, "scope": {"result": "not_met", "note": "Thiếu"}})
    oversight_services.inspection_minutes_issue(actor=None, inspection=world.inspection,
                                                minutes_on=datetime.date(2026, 5, 15))
    committee = AgencyFactory(code="UBND-P", name="UBND tỉnh", province=province, level=AgencyLevel.PROVINCE_PC)
    pc_head = make_user(committee, [Role.AGENCY_HEAD], username="pc_head")
    root = django_user_model.objects.create_superuser("root", "root@example.gov.vn", "x")
    retired = make_user(agency_a, [Role.AGENCY_HEAD], username="retired")
    retired.is_active = False
    retired.save()
    return [a_head, a_secretary, a_unit_head, a_staff, world.auditor, team_auditor, b_staff, b_head, overseer,
            admin_user, q_overseer, d_staff, pc_head, root, retired, AnonymousUser()]


def test_the_world_has_an_object_for_every_model_a_rule_takes(personas):
    empty = sorted({label for policy in POLICIES.values() for rule in policy.rules.values() for label in rule.takes
                    if not apps.get_model(label).objects.exists()})
    assert empty == [], empty


@pytest.mark.parametrize("app_label", sorted(POLICIES))
def test_predicate_and_queryset_filter_agree(app_label, personas):
    policy = POLICIES[app_label]
    disagreements = []
    checked = 0
    for action, rule in policy.rules.items():
        perm = f"{app_label}.{action}"
        for label in rule.takes:
            model = apps.get_model(label)
            objects = list(model.objects.all())
            for user in personas:
                by_predicate = {o.pk for o in objects if user.has_perm(perm, o)}
                by_policy = {o.pk for o in objects if policy.allows(user, action, o)}
                by_filter = set(policy.filter(user, action, model.objects.all()).values_list("pk", flat=True))
                checked += len(objects)
                if not by_predicate == by_policy == by_filter:
                    disagreements.append((perm, label, str(user), sorted(by_predicate), sorted(by_policy),
                                          sorted(by_filter)))
    assert checked > 100 and disagreements == []


def test_rules_without_objects_are_about_the_user_alone(personas):
    """A rule that takes no model (add_agency, view_audit_trail…) answers the same for every object."""
    for app_label, policy in POLICIES.items():
        for action, rule in policy.rules.items():
            if not rule.takes:
                for user in personas:
                    assert policy.filter(user, action, apps.get_model("organizations.Agency").objects.all()).count() \
                        in (0, apps.get_model("organizations.Agency").objects.count()), (app_label, action, user)
