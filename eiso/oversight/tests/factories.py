"""Test data of oversight: a plan of the province's Department of Science and Technology, and an
inspection carried through its decision and checklist."""

import datetime

from eiso.oversight import services
from eiso.oversight.choices import POINTS

ALL_MET = {p.code: {"result": "met", "note": ""} for p in POINTS}


def approved_plan(overseer, dost, agencies, *, year=2026, on_site=None):
    on_site = set(on_site if on_site is not None else [agencies[0].pk])
    plan = services.plan_create(actor=overseer, agency=dost, year=year, items=[
        {"agency": a, "month": 3 + i, "on_site": a.pk in on_site} for i, a in enumerate(agencies)])
    services.plan_approve(actor=overseer, plan=plan, number=f"15/KH-SKHCN-{year}",
                          signed_on=datetime.date(year, 1, 10))
    return plan


def decided(overseer, inspection, *, on=datetime.date(2026, 5, 4)):
    return services.inspection_decide(actor=overseer, inspection=inspection, decision_number="25/QĐ-SKHCN",
                                      decision_on=on, team=[{"name": "Ngô Thị Thanh Tra", "role": "leader"},
                                                            {"name": "Lê Văn Đoàn", "position": "Chuyên viên"}])


def checked(overseer, inspection, *, not_met=(), on=datetime.date(2026, 5, 12)):
    results = {**ALL_MET, **{code: {"result": "not_met", "note": f"Chưa đạt: {code}"} for code in not_met}}
    return services.inspection_checklist_save(actor=overseer, inspection=inspection, results=results,
                                              inspected_on=on, agency_representative="Trần Văn Đại Diện")
