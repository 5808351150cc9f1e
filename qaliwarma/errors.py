"""One root exception; every subclass carries a message a committee member can read (Spanish).

The UI shows ``str(error)``; the CLI prints it to stderr and exits 2 (or 1 where a check failed).
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import _


class QaliwarmaError(Exception):
    """Root of every error the application reports to a user."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class NotAllowed(QaliwarmaError):
    """The signed-in member's role may not do this; the message says who may."""


class SignInError(QaliwarmaError):
    """Sign-in refused: unknown member, wrong PIN, member locked, no PIN set."""


class NotFound(QaliwarmaError):
    """Something the user named does not exist (a food code, a recipe id, a committee)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a file or a form: where it is and what is wrong."""

    where: str  # e.g. "recipes/sierra/patachi.toml:12" or "fila 4, columna monto"
    what: str
    # The same place as data (None where it does not apply), so a screen can point at the cell.
    file: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None  # what the cell holds: "monto", "fecha", "cantidad", …
    part: str | None = None  # the file inside ``file`` when that is a package (servicios.csv in a bundle .zip)

    def __str__(self) -> str:
        return f"{self.where}: {self.what}" if self.where else self.what


class Place(str):
    """Where a record came from, written for people ("gastos.csv: fila 3") and kept as data (``file``,
    ``row``), so that a service checking the record can say where a problem is without parsing text."""

    file: str | None
    row: int | None

    def __new__(cls, text: str, *, file: str | None = None, row: int | None = None) -> Place:
        place = super().__new__(cls, text)
        place.file, place.row = file, row
        return place


def problem_at(place, column: str, what: str) -> Problem:
    """A problem in ``column`` of the record at ``place`` (a ``Place`` or plain text)."""
    return Problem(_("{place}, columna {column}").format(place=place, column=column), what, file=getattr(place, "file", None),
                   row=getattr(place, "row", None), column=column, field=column)


class InvalidInput(QaliwarmaError):
    """Input refused as a whole; ``problems`` lists every problem found (nothing was changed)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        full = message
        if self.problems:
            full += "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(full)
        self.summary = message


class UnitError(InvalidInput):
    """A quantity in an unknown or incompatible unit."""


class DatabaseError(QaliwarmaError):
    """The database cannot be opened or upgraded."""


class DatabaseBusy(DatabaseError):
    """Another writer held the database too long, or wrote clashing rows at the same time: nothing
    was saved; trying again is safe."""


class DatabaseTooNew(DatabaseError):
    """The database was written by a newer version of the application."""


class JournalError(QaliwarmaError):
    """An entry the journal refuses (closed month, unknown entry to correct, …)."""


class PeriodClosed(JournalError):
    """A month that was closed accepts no entries."""


def cannot_save(path, exc: OSError) -> InvalidInput:
    """The one refusal for a file that could not be written (a folder without permission, a file open in
    Excel…), the same on the command line and in the window."""
    from pathlib import Path

    from .i18n import _

    return InvalidInput(_("No se pudo guardar «{name}» ({why}). Elija otra carpeta, por ejemplo «Documentos», o "
                          "cierre el archivo si está abierto en otro programa.").format(
        name=Path(path).name, why=exc.strerror or exc))
