"""Month end: closing a month freezes every record dated in it (the journal refuses them);
corrections go into the next open month as entries that reference what they correct."""

from __future__ import annotations

from datetime import date

from ..errors import InvalidInput
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal, lock_committee
from ..vocab import period_label


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``month`` ("2027-03"): the one rule for reading a month (``vocab.parse_period``)."""
    from ..vocab import period_range

    return period_range(month)


def last_school_day(db: Database, committee_id: int, month: str) -> date | None:
    from .calendar import school_days

    start, end = month_bounds(month)
    days = school_days(db, committee_id, start, end)
    return days[-1] if days else None


def may_close(db: Database, committee_id: int, month: str, today: date) -> tuple[bool, str]:
    """Whether ``month`` may be closed without asking for an early close, and if not, why."""
    start, _end = month_bounds(month)
    if start > today:
        return False, _("No se puede cerrar {month}: todavía no empieza.").format(month=period_label(month))
    last = last_school_day(db, committee_id, month)
    if last is not None and today <= last:
        return False, _("No se puede cerrar {month} todavía: su último día de clases es el {day} y sus registros "
                        "aún pueden faltar. Si de verdad hay que cerrarlo antes, pida un cierre anticipado con su "
                        "motivo.").format(month=period_label(month), day=f"{last:%d/%m/%Y}")
    return True, ""


def close(db: Database, committee_id: int, month: str, *, user: str, today: date | None = None,
          early: bool = False, reason: str = "") -> int:
    """Close ``month``: a last journal entry records the closing, then nothing more is accepted.
    Only after the month's last school day, unless ``early`` with a ``reason`` (written in the entry)."""
    start, end = month_bounds(month)
    today = today or date.today()
    if start > today:
        raise InvalidInput(_("No se puede cerrar {month}: todavía no empieza.").format(month=month))
    ok, why = may_close(db, committee_id, month, today)
    if early and not reason.strip():
        raise InvalidInput(_("Para cerrar el mes antes de su último día de clases escriba el motivo "
                           "(--reason)."))
    if not ok and not early:
        raise InvalidInput(why + _(" (en la línea de comandos: --early --reason \"…\")"))
    payload_extra = {"early": True, "reason": reason.strip(), "closed_on": today.isoformat()} if not ok else {}
    from ..domain.people import Signature, action_of_kind
    from ..errors import NotAllowed

    # every refusal before the closing copy: a refused close leaves no copia de cierre behind
    if isinstance(user, Signature) and not user.may(action_of_kind("periodo.cierre")):
        raise NotAllowed(user.refusal(action_of_kind("periodo.cierre")))
    if month in closed_months(db, committee_id):
        raise InvalidInput(_("El mes {month} ya está cerrado.").format(month=month))
    from . import backup

    backup.automatic(db, "cierre")  # a copy of the data as it was before the month was frozen (issue 13)
    from ..domain.seal import SEAL_KEY
    from ..io.bundle import sha256
    from ..persistence.models import ClosedMonthFile
    from .committee import for_month, require_id
    from .export import FILES_KEY, month_files, month_seal_in
    from .treasury_figures import KEY, closing_payload

    # one unit of work: the month's files read under the committee's lock, the closing entry that lists them,
    # and the files kept (a closed month's bundle is made from them from now on, and never changes)
    with db.atomic() as adb:
        with adb.session() as s:
            lock_committee(s, committee_id)  # before the checks that read existing rows; held to the end
            if month in Journal(s, committee_id).closed_months():
                raise InvalidInput(_("El mes {month} ya está cerrado.").format(month=month))
        files = month_files(adb, for_month(adb, require_id(adb, committee_id), month), month)
        with adb.session() as s:
            lock_committee(s, committee_id)
            journal = Journal(s, committee_id)
            # the treasury as of the month's end, from the whole history: later months carry it forward from here
            carried = {KEY: closing_payload(s, committee_id, end)}
            # the menu and the school days as the month closes them (domain.seal): `verify` names a day changed
            # later; and the SHA-256 of each file kept
            sealed = {SEAL_KEY: month_seal_in(s, committee_id, month),
                      FILES_KEY: {name: sha256(data) for name, data in sorted(files.items())}}
            entry = journal.append("periodo.cierre", end, {"month": month, "entries": journal.count(),
                                                           **payload_extra, **carried, **sealed}, user=user)
            journal.close_month(month, user=user)
            s.add_all(ClosedMonthFile(committee_id=committee_id, month=month, name=name, content=data)
                      for name, data in files.items())
            seq = entry.seq
    return seq


def closed_months(db: Database, committee_id: int) -> list[str]:
    with db.session() as s:
        return sorted(Journal(s, committee_id).closed_months())
