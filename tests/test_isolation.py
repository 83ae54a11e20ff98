"""Isolation between agencies is a security boundary.

These tests walk EVERY URL pattern of the web UI and EVERY API route that takes an object id,
put the id of one of agency A's objects in it, and assert that users of agency B and an
overseer/admin of another province never get it (404 or 403, and none of its data), whatever
the method. A user of agency A does get it, so the ids are right and the refusals are scope, not
typos. A new route that takes an id and is not registered below fails the walk: register it
with the object it addresses.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin", "api"}  # admin: staff only (tested below); api: walked separately
# Routes whose parameters are a signed, expiring token and no object id: whoever holds the e-mailed
# link may use it (eiso/organizations/tests/test_password_reset.py tests it).
TOKEN_ROUTES = {"password_reset_confirm"}


# url-name (without namespace) prefix → (kwargs for the route, a text of the object that must not leak)
WEB_ROUTES = {
    "agency": lambda w: ({"pk": w.agency.pk}, w.agency.name),
    "unit": lambda w: ({"pk": w.unit.pk}, w.unit.name),
    "user": lambda w: ({"pk": w.person.pk}, w.person.full_name),
    "jobdescription": lambda w: ({"pk": w.job.pk}, w.job.position),
    "steeringcommittee": lambda w: ({"pk": w.committee.pk}, w.committee.name),
    "steeringmember": lambda w: ({"pk": w.committee.pk, "member_pk": w.member.pk}, w.committee.name),
    "calendarexception": lambda w: ({"pk": w.exception.pk}, w.exception.reason),
    "document": lambda w: ({"pk": w.document.pk}, w.document.title),
    "revision": lambda w: ({"pk": w.revision.pk}, w.document.title),
    "revision-file": lambda w: ({"pk": w.revision_file.pk}, w.revision_file.original_name),
    "changerequest": lambda w: ({"pk": w.change_request.pk}, w.change_request.reason),
    "procedure": lambda w: ({"pk": w.document.pk}, w.document.title),  # reports:procedure-docx/-pdf
    "revision-history": lambda w: ({"pk": w.document.pk}, w.document.title),
    "filelist": lambda w: ({"pk": w.file_list.pk}, w.unit.name),
    "externaldocument": lambda w: ({"pk": w.external.pk}, w.external.title),
    "reviewtask": lambda w: ({"pk": w.review_task.pk}, w.document.title),
    "recordtype": lambda w: ({"pk": w.record_type.pk}, w.record_type.name),
    "recordfile": lambda w: ({"pk": w.record_file.pk, "list_pk": w.file_list.pk}, w.record_file.title),
    "dossier": lambda w: ({"pk": w.dossier.pk}, w.dossier.applicant),  # dossiers:dossier-detail/-apology
    "dossier-slip": lambda w: ({"pk": w.dossier.pk}, w.dossier.applicant),  # reports:dossier-slip-docx/-pdf
    "dossier-apology": lambda w: ({"pk": w.dossier.pk}, w.apology.reason),  # reports:dossier-apology-docx/-pdf
    "nonconformity": lambda w: ({"pk": w.nonconformity.pk}, w.nonconformity.description),
    "corrective-action": lambda w: ({"pk": w.corrective_action.pk}, w.corrective_action.action_plan),
    "risk": lambda w: ({"pk": w.risk.pk}, w.risk.description),
    "dossierimport": lambda w: ({"pk": w.dossier_import.pk}, w.dossier_import.original_name),
    "importjob": lambda w: ({"pk": w.import_job.pk}, w.import_job.original_name),  # core:importjob-detail/-retry
    "adminprocedure": lambda w: ({"pk": w.tthc.pk}, w.tthc.name),
    "processdefinition": lambda w: ({"pk": w.document.pk}, w.document.title),  # the operational procedure
    "clauseexclusion": lambda w: ({"pk": w.exclusion.pk}, w.exclusion.justification),
    "programme": lambda w: ({"pk": w.programme.pk}, w.programme.title),
    "programmeentry": lambda w: ({"pk": w.programme_entry.pk}, w.programme_entry.process),
    "audit": lambda w: ({"pk": w.audit.pk}, w.audit.title),
    "checklistitem": lambda w: ({"pk": w.checklist_item.pk}, w.checklist_item.question),
    "checklistfile": lambda w: ({"pk": w.checklist_file.pk}, w.checklist_file.original_name),
    "finding": lambda w: ({"pk": w.finding.pk}, w.finding.description),  # improvements:finding-nonconformity
    "complaint": lambda w: ({"pk": w.complaint.pk}, w.complaint.content),
    "objective": lambda w: ({"pk": w.objective.pk}, w.objective.title),
    "objectives": lambda w: ({"pk": w.agency.pk}, w.objective.title),  # reports:objectives-docx
    "measurement": lambda w: ({"pk": w.measurement.pk}, w.objective.title),
    "inspection": lambda w: ({"pk": w.fives_planned.pk}, w.fives_area.name),  # planned: it can still be filled
    "fives-inspection": lambda w: ({"pk": w.fives_inspection.pk}, w.fives_area.name),  # reports:…-docx
    "fives-ranking": lambda w: ({"pk": w.agency.pk}, w.fives_area.unit.name),  # reports:fives-ranking-docx
    "fivesanswer": lambda w: ({"pk": w.fives_answer.pk}, w.fives_answer.photo_name),
    "fivesprogramme": lambda w: ({"pk": w.fives_programme.pk}, w.fives_programme.title),
    "fivesitem": lambda w: ({"pk": w.fives_item.pk}, w.fives_item.text),
    "area": lambda w: ({"pk": w.fives_area.pk}, w.fives_area.name),
    "reward": lambda w: ({"pk": w.fives_reward.pk}, w.fives_reward.title),
    "inspectionplan": lambda w: ({"pk": w.plan.pk}, w.plan.number),  # oversight and reports:inspectionplan-docx
    "oversightinspection": lambda w: ({"pk": w.inspection.pk}, w.inspection.conclusion),
    "oversightinspection-decision": lambda w: ({"pk": w.inspection.pk}, w.inspection.decision_number),  # .docx
    "oversightinspection-minutes": lambda w: ({"pk": w.inspection.pk}, w.inspection.conclusion),  # reports: .docx
    "annual-report": lambda w: ({"pk": w.agency.pk}, w.agency.name),  # reports:annual-report-docx
    "review": lambda w: ({"pk": w.review.pk}, w.review.location),
    "review-minutes": lambda w: ({"pk": w.review.pk}, w.review.location),  # reports:review-minutes-docx
    "reviewoutput": lambda w: ({"pk": w.review_output.pk}, w.review_output.description),
    "rollout": lambda w: ({"pk": w.rollout.pk}, w.rollout.title),  # also reports:rollout-report
    "rolloutphase": lambda w: ({"pk": w.phase.pk}, w.rollout.title),
    "registryitem": lambda w: ({"pk": w.registry_item.pk}, w.registry_item.title),
    "gapsurvey": lambda w: ({"pk": w.gap_survey.pk}, w.gap_survey.title),
    "training": lambda w: ({"pk": w.course.pk}, w.course.title),
    "training-plan": lambda w: ({"pk": w.agency.pk}, w.course.title),  # reports:training-plan-docx
    "session": lambda w: ({"pk": w.session.pk}, w.session.place),
    "session-attendance": lambda w: ({"pk": w.session.pk}, w.session.place),  # reports:session-attendance-docx
    "result": lambda w: ({"pk": w.training_result.pk}, w.training_result.certificate_number),
    "requirement": lambda w: ({"pk": w.requirement.pk}, w.requirement.note),
    "holder": lambda w: ({"pk": w.holder.pk}, w.job.position),
    "gapaction": lambda w: ({"pk": w.gap_action.pk}, w.gap_action.action),
    "onboarding": lambda w: ({"pk": w.onboarding.pk}, w.person.full_name),
    "announcement": lambda w: ({"pk": w.announcement.pk}, w.announcement.processes[0]),  # also reports:-docx
    "transition": lambda w: ({"pk": w.transition.pk}, w.transition_task.title),
    "transitiontask": lambda w: ({"pk": w.transition_task.pk}, w.transition_task.title),
}

# first path segment after /api/v1/ → (the object's id, a text that must not leak)
API_ROUTES = {
    "agencies": lambda w: (w.agency.pk, w.agency.name),
    "units": lambda w: (w.unit.pk, w.unit.name),
    "users": lambda w: (w.person.pk, w.person.full_name),
    "documents": lambda w: (w.document.pk, w.document.title),
    "revisions": lambda w: (w.revision.pk, w.document.title),
    "external-documents": lambda w: (w.external.pk, w.external.title),
    "nonconformities": lambda w: (w.nonconformity.pk, w.nonconformity.description),
    "corrective-actions": lambda w: (w.corrective_action.pk, w.corrective_action.action_plan),
    "risks": lambda w: (w.risk.pk, w.risk.description),
    "dossiers": lambda w: (w.dossier.code, "Bước bí mật của Sở A"),  # the route takes the dossier's code
    "admin-procedures": lambda w: (w.tthc.pk, w.tthc.name),
    "audits": lambda w: (w.audit.pk, w.audit.title),
    "dossier-imports": lambda w: (w.dossier_import.pk, w.dossier_import.original_name),
    "import-jobs": lambda w: (w.import_job.pk, w.import_job.original_name),
    "complaints": lambda w: (w.complaint.pk, w.complaint.content),
    "objectives": lambda w: (w.objective.pk, w.objective.title),
    "measurements": lambda w: (w.measurement.pk, w.objective.title),
    # /fives/<kind>/{id}: several kinds under one first segment
    "fives/checklist": lambda w: (w.fives_item.pk, w.fives_item.text),
    "fives/programmes": lambda w: (w.fives_programme.pk, w.fives_programme.title),
    "fives/areas": lambda w: (w.fives_area.pk, w.fives_area.name),
    "fives/inspections": lambda w: (w.fives_planned.pk, w.fives_area.name),
    "fives/answers": lambda w: (w.fives_answer.pk, w.fives_answer.text),
    "fives/rewards": lambda w: (w.fives_reward.pk, w.fives_reward.title),
    "inspection-plans": lambda w: (w.plan.pk, w.plan.number),
    "inspections": lambda w: (w.inspection.pk, w.inspection.conclusion),
    "management-reviews": lambda w: (w.review.pk, w.review.location),
    "review-outputs": lambda w: (w.review_output.pk, w.review_output.description),
    "rollouts": lambda w: (w.rollout.pk, w.rollout.title),
    "rollout-phases": lambda w: (w.phase.pk, w.phase.name),
    "registry-items": lambda w: (w.registry_item.pk, w.registry_item.title),
    "gap-surveys": lambda w: (w.gap_survey.pk, w.gap_survey.title),
    "trainings": lambda w: (w.course.pk, w.course.title),
    "training-results": lambda w: (w.training_result.pk, w.training_result.certificate_number),
    "competence-requirements": lambda w: (w.requirement.pk, w.requirement.note),
    "position-holders": lambda w: (w.holder.pk, w.job.position),
    "gap-actions": lambda w: (w.gap_action.pk, w.gap_action.action),
    "onboarding": lambda w: (w.onboarding.pk, w.person.full_name),
    "announcements": lambda w: (w.announcement.pk, w.announcement.processes[0]),
    "transitions": lambda w: (w.transition.pk, w.transition_task.title),
    "transition-tasks": lambda w: (w.transition_task.pk, w.transition_task.title),
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern), f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.pattern.converters and p.name not in TOKEN_ROUTES:
            yield f"{namespace}{p.name}", prefix + str(p.pattern)


def id_routes():
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_routes():
    names = [name for name, _ in id_routes()]
    assert "organizations:agency-detail" in names and "organizations:steeringmember-remove" in names


@pytest.mark.parametrize(("name", "route"), id_routes())
def test_web_route_never_serves_another_agencys_object(name, route, world, client_for, b_staff, b_head,
                                                       q_overseer, a_head, admin_user, overseer):
    short = name.split(":")[-1].rsplit("-", 1)[0]
    assert short in WEB_ROUTES, f"{name} ({route}) takes an id: register it in WEB_ROUTES"
    kwargs, secret = WEB_ROUTES[short](world)
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    url = reverse(name, kwargs={k: kwargs[k] for k in params})
    for intruder in (b_staff, b_head, q_overseer):
        client = client_for(intruder)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            allowed = (403, 404, 405)  # 405: the method is refused to everyone (a POST-only action, a GET-only page)
            assert response.status_code in allowed, (intruder.username, method, url, response.status_code)
            assert secret not in response.content.decode(), (intruder.username, method, url)
    # Someone entitled reaches it (GET gives the page, or 405 for POST-only actions).
    owner = admin_user if name.endswith(("-update", "-create")) and short in ("agency", "user") else a_head
    if name.startswith("oversight:") and name.endswith(("-update", "-decide", "-checklist")):
        owner = overseer  # the province's overseer carries out inspections; the agency reads them
    assert client_for(owner).get(url).status_code in (200, 405), (owner.username, url)


def api_id_routes():
    from eiso.api.api import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    for path, methods in paths.items():
        if "{" in path:
            for method in methods:
                yield method.upper(), path


def test_the_api_walk_finds_the_routes():
    assert ("GET", "/api/v1/agencies/{agency_id}") in set(api_id_routes())


@pytest.mark.parametrize(("method", "path"), sorted(set(api_id_routes())))
def test_api_route_never_serves_another_agencys_object(method, path, world, api_for, b_staff, b_head,
                                                       q_overseer, admin_user):
    parts = path.removeprefix("/api/v1/").split("/")
    resource = "/".join(parts[:2]) if "/".join(parts[:2]) in API_ROUTES else parts[0]
    assert resource in API_ROUTES, f"{method} {path} takes an id: register it in API_ROUTES"
    pk, secret = API_ROUTES[resource](world)
    url = re.sub(r"\{[^}]+\}", str(pk), path)
    for intruder in (b_staff, b_head, q_overseer):
        response = api_for(intruder).generic(method, url, data=b"{}", content_type="application/json")
        assert response.status_code in (403, 404), (intruder.username, method, url, response.status_code)
        assert response["Content-Type"].startswith("application/json")
        assert secret not in response.content.decode()
    if method == "GET":
        assert api_for(admin_user).get(url).status_code == 200


def test_admin_site_is_closed_to_agency_users(world, client_for, b_head):
    response = client_for(b_head).get(f"/admin/organizations/agency/{world.agency.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
