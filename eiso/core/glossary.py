"""One label per concept, for pages, Word, Excel and the API's descriptions.

Core cannot import the later apps, so the labels of their audit actions live here as plain
strings (the test ``tests/test_glossary.py`` collects every action code written anywhere in eiso/
and checks it has a label). Statuses and kinds keep their labels in each app's ``choices.py``;
reports read them from there (``label_of``) so a status reads the same on screen and on paper.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What happened to an object, as the audit trail shows it (``AuditEvent.action``).
ACTION_LABELS = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "merge": _("created by a merger"),
    "end": _("ended"),
    "move": _("moved"),
    "password": _("password changed"),
    "token": _("API token issued"),
    "revoke": _("API token revoked"),
    "member_add": _("member added"),
    "member_remove": _("member removed"),
    "lockout": _("sign-in locked after failed attempts"),
    "unlock": _("sign-in unlocked"),
    "inbox_settings_update": _("daily e-mail digest setting changed"),
    "sign_out_everywhere": _("signed out everywhere"),
    "admin_add": _("created in the back office"),
    "admin_change": _("changed in the back office"),
    "admin_delete": _("deleted in the back office"),
    # external register, review tasks and records (eiso.documents.services.external/records)
    "replace": _("replaced"),
    "expire": _("expired"),
    "amend": _("amended"),
    "cite": _("citing procedures changed"),
    "review_open": _("review task opened"),
    "review_reopen": _("review task reopened"),
    "review_complete": _("review done"),
    "import": _("imported"),
    "dispose": _("disposed of"),
    # revisions (eiso.documents.services.revisions: "revision_<RevisionAction>")
    "revision_create": _("revision drafted"),
    "revision_update": _("draft revised"),
    "revision_submit": _("sent for review"),
    "revision_review": _("reviewed"),
    "revision_approve": _("approved"),
    "revision_return": _("returned for changes"),
    "revision_activate": _("took effect"),
    "revision_supersede": _("superseded"),
    "revision_withdraw": _("withdrawn"),
    "file_add": _("file attached"),
    "file_remove": _("file removed"),
    "acknowledge": _("read and acknowledged"),
    "distribute": _("put on the reading list"),
    "invite": _("invited to training"),
    "attendance": _("attendance recorded"),
    "comment": _("comment added"),
    "decide": _("change request decided"),
    # audits (AuditAction) and their evidence
    "start": _("audit started"),
    "report": _("audit report issued"),
    "close": pgettext_lazy("action", "closed"),
    "reopen": _("reopened"),
    "attach": _("evidence attached"),
    # nonconformities and corrective actions (NonconformityAction and the verification)
    "plan": _("corrective action planned"),
    "implement": _("action implemented"),
    "verify": _("effectiveness verified"),
    "verify_effective": _("verified effective"),
    "verify_ineffective": _("verified not effective, reopened"),
    # dossiers
    "apology_issue": _("apology letter issued"),
    "interrupt": _("import interrupted"),
    "retry": _("import started again"),
    # complaints and recommendations (ComplaintAction and the one-click nonconformity)
    "assign": _("handed to a unit"),
    "answer": _("answered"),
    "reject": _("not accepted"),
    "complaint_nonconformity": _("recorded as a nonconformity"),
    # quality objectives
    "approve": _("approved"),
    "measure": _("measurements computed"),
    "confirm": _("measurement confirmed"),
    "objective_nonconformity": _("missed period recorded as a nonconformity"),
    # 5S (eiso.fives.services)
    "checklist_copy": _("own copy of the 5S checklist made"),
    "remove": _("taken out of use"),
    "inspect": _("inspection recorded"),
    "cancel": _("cancelled"),
    "fives_nonconformity": _("failed 5S item recorded as a nonconformity"),
    # management reviews (eiso.reviews.services: "review_<ReviewAction>", "output_…")
    "review_start": _("meeting started, inputs frozen"),
    "review_close": _("meeting closed, minutes awaiting approval"),
    "review_approve": _("minutes approved"),
    "output_status": _("output status changed"),
    "output_corrective_action": _("corrective action opened from the output"),
    "output_objective": _("quality objective drafted from the output"),
    # QMS rollout (eiso.rollout.services)
    "transition": _("status changed"),
    "complete": _("completed"),
    "adopt_registry": _("procedure registry adopted"),
    "fill_registry": _("registry filled from the TTHC catalogue"),
}

# Labels of change keys that are not model fields (written by services into AuditEvent.changes),
# and of the keys inside structured values (a revision's sections, a dossier's steps).
CHANGE_LABELS = {
    "agency": _("agency"),
    "unit": _("unit"),
    "unit_code": _("unit code"),
    "roles": _("roles"),
    "member": _("member"),
    "members": _("audit team"),
    "token": _("API token"),
    "file": _("file"),
    "status": _("status"),
    "comment": _("comment"),
    "distribution": _("readers notified"),
    "acknowledged_by": _("acknowledged by"),
    "reviewed_by": _("reviewed by"),
    "username": _("username"),
    "address": _("address"),
    "session_generation": _("sign-outs everywhere"),
    "full_name": _("full name"),
    "daily_digest": _("daily e-mail digest"),
    "checklist": _("checklist questions"),
    "entry": _("programme entry"),
    "actions": _("treatment actions"),
    "legal_basis": _("legal basis"),
    "cited_by": _("cited by procedures"),
    "exception": _("calendar day"),
    "admin_procedures": _("administrative procedures"),
    "external_documents": _("external documents"),
    "satisfaction_evaluations": _("satisfaction evaluations"),
    "measurements": _("measurements changed"),
    "fives_items": _("5S checklist items"),
    "percent": _("score (%)"),
    "failed": _("items failed"),
    "photo": _("photo"),
    "nonconformity": _("nonconformity"),
}

# Labels of the keys inside structured values, per change key: a revision's sections, the counts
# of an import, a dossier's steps.
PART_LABELS = {
    "sections": {
        "purpose": _("1. Purpose"),
        "scope": _("2. Scope"),
        "definitions": _("4. Definitions and abbreviations"),
        "content": _("5. Content"),
    },
    "admin_procedures": {
        "created": _("added"),
        "updated": pgettext_lazy("import", "updated"),
        "unchanged": _("unchanged"),
        "processes": _("processes set"),
    },
    "external_documents": {
        "created": _("added"),
        "updated": pgettext_lazy("import", "updated"),
        "unchanged": _("unchanged"),
    },
    "satisfaction_evaluations": {
        "created": _("added"),
        "updated": pgettext_lazy("import", "updated"),
        "unchanged": _("unchanged"),
    },
    "steps": {
        "step": _("step"),
        "name": _("name"),
        "unit": _("unit"),
        "started_at": _("started"),
        "due_at": _("due"),
        "finished_at": _("finished"),
        "result": _("result"),
    },
}


def action_label(action: str) -> str:
    """The label of an audit action; an unknown code reads as itself (the test forbids that)."""
    return ACTION_LABELS.get(action, action)


def codes_described(choices) -> str:
    """"One of: draft (Dự thảo), in_review (Đang xem xét), …" for the API's descriptions: each code
    with the label pages, Word and Excel show (in the site's language, Vietnamese)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return "One of: " + ", ".join(f"{value} ({label})" for value, label in choices.choices) + "."
