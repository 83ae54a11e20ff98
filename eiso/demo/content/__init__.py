"""The demo province as data: one JSON file per area, read by the loaders in ``eiso.demo.loaders``.

Each file says in its ``about`` what it holds and how the loader reads it. Numbers with a decimal
point are read as ``Decimal`` (working days such as 0.5 stay exact).
"""

import json
from decimal import Decimal
from functools import cache
from importlib.resources import files


@cache
def read(name: str) -> dict:
    """The content of ``<name>.json`` (parsed once; treat it as read-only)."""
    return json.loads(files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8"), parse_float=Decimal)


def text(value: str | list[str]) -> str:
    """A text written as one string or as a list of its lines."""
    return value if isinstance(value, str) else "\n".join(value)
