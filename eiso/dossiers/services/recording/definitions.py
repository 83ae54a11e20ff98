"""The processes dossiers are timed against, read in bulk for the recording engine (values, not
model instances): the current definition of each operational procedure and its steps."""

from __future__ import annotations

from collections import defaultdict

from eiso.dossiers.timing import StepSpec
from eiso.procedures.models import ProcessDefinition, ProcessStep


def current_definitions(document_ids) -> dict[int, tuple[int, list[StepSpec]]]:
    """Document id → (current definition id, its steps) for the given operational procedures."""
    rows = ProcessDefinition.objects.filter(document_id__in=list(document_ids), is_current=True).values_list(
        "document_id", "pk")
    by_definition = {pk: document_id for document_id, pk in rows}
    steps = definition_steps(by_definition)
    return {document_id: (pk, steps.get(pk, [])) for pk, document_id in by_definition.items()}


def definition_steps(definition_ids) -> dict[int, list[StepSpec]]:
    out: dict[int, list] = defaultdict(list)
    for definition_id, number, name, hours, unit_id in ProcessStep.objects.filter(
            definition_id__in=list(definition_ids)).order_by("definition_id", "number").values_list(
            "definition_id", "number", "name", "allowance_hours", "unit_id"):
        out[definition_id].append(StepSpec(number=number, name=name, hours=hours, unit_id=unit_id))
    return dict(out)
