"""The importers of ``eiso import <name> FILE …``: a plain registry that apps add theirs to.

Core owns the command and knows no app: each app's ``AppConfig.ready`` calls ``register()`` of its
own ``import_command`` module (documents, procedures, dossiers), which calls ``importer_register``;
the command lists them in the order the apps are installed.

A handler is called as ``handler(command, **options)`` and returns the summary line to print; it
raises ``CommandError``, or a ``DomainError`` whose ``errors["file"]`` lines the command prints.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Importer:
    name: str  # the subcommand
    help: str
    handler: Callable[..., str]
    arguments: Sequence[tuple[tuple[str, ...], dict]]  # (flags, add_argument keyword arguments)


_importers: dict[str, Importer] = {}


def importer_register(name: str, *, help: str, handler: Callable[..., str],
                      arguments: Sequence[tuple[tuple[str, ...], dict]]) -> None:
    """Add (or replace) the importer ``eiso import <name>``."""
    _importers[name] = Importer(name=name, help=help, handler=handler, arguments=tuple(arguments))


def importers() -> list[Importer]:
    """Every registered importer, in the order they were registered."""
    return list(_importers.values())


def importer_get(name: str) -> Importer:
    return _importers[name]
