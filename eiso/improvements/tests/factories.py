"""Shared set-up of the improvement tests: a nonconformity and its action at any stage."""

import datetime

from eiso.improvements import services

D = datetime.date
DETECTED, DUE = D(2026, 3, 2), D(2026, 4, 1)


def make_nc(agency, actor, *, unit=None, clause="8.5.1", detected_on=DETECTED, source="staff",
            description="Hồ sơ trả muộn không có phiếu xin lỗi"):
    return services.nonconformity_create(actor=actor, agency=agency, source=source, clause=clause, unit=unit,
                                         description=description, detected_on=detected_on)


def make_action(nc, actor, owner, *, due_on=DUE, verifier=None, verification_due_on=None):
    return services.corrective_action_create(
        actor=actor, nonconformity=nc, root_cause="Chưa phân công người theo dõi hạn", action_plan="Phân công",
        owner=owner, due_on=due_on, verifier=verifier, verification_due_on=verification_due_on)


def implemented(nc, actor, owner, **kwargs):
    action = make_action(nc, actor, owner, **kwargs)
    services.corrective_action_implement(actor=actor, action=action, evidence="Quyết định phân công số 5",
                                        implemented_on=D(2026, 3, 20))
    return action


def verified(nc, actor, owner, **kwargs):
    action = implemented(nc, actor, owner, **kwargs)
    services.corrective_action_verify(actor=actor, action=action, effective=True, verified_on=D(2026, 4, 10))
    return action
