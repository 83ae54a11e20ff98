"""Every schema of the OpenAPI document has one meaning: two routes' different answers never share
a component name (ninja would publish only one of them, and the other route's answers would not
match its documented schema)."""

import pytest
from pydantic import BaseModel


def _schemas(api):
    seen = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in getattr(operation, "response_models", {}).values():
                    yield from _walk(model, seen)
    return seen


def _walk(model, seen):
    if isinstance(model, type) and issubclass(model, BaseModel):
        if model in seen.values():
            return
        yield model
        seen[id(model)] = model
        for field in model.model_fields.values():
            for arg in getattr(field.annotation, "__args__", ()) or (field.annotation,):
                yield from _walk(arg, seen)


@pytest.mark.django_db
def test_schema_names_are_unique():
    from eiso.api.api import api

    names = {}
    for model in _schemas(api):
        names.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: where for name, where in names.items() if len(where) > 1}
    assert clashes == {}
