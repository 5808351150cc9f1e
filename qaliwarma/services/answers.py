"""The supervisor's answer to a committee's rendición (issue 13): written on the supervisor's side, imported
by the committee. The committee never types «aprobado» or «observado»: the journal refuses that from a
signed-in member, and records it only from an imported answer.

An answer is a small JSON file: the school (código modular), the month, the bundle it answers (its
verification code and the journal head it ended with), the state, the observations, the supervisor's
name, when; and the SHA-256 of all that, so a changed byte is refused. The committee checks it is about
its school, that the head is an entry of its own journal (the answer is about data it sent), and that
the month was presented.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from ..domain.committee import CODE_CORRECTION_KIND, code_history
from ..domain.people import Signature
from ..errors import InvalidInput, NotFound
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal, _row_dict
from ..persistence.models import JournalEntry, SupBundle

FORMAT = "qaliwarma-respuesta/1"
IMPORTED_BY_SETUP = "comité (sin firma)"
STATES = ("aprobado", "observado")


def _seal(doc: dict) -> str:
    body = {k: v for k, v in doc.items() if k != "sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def write_answer(db: Database, bundle_code: str, state: str, supervisor: str, out: Path, *,
                 observations: str = "") -> dict:
    """On the supervisor's side: answer the imported bundle ``bundle_code`` (or the start of its code)."""
    if state not in STATES:
        raise InvalidInput(_("La respuesta es «aprobado» u «observado»."))
    if state == "observado" and not observations.strip():
        raise InvalidInput(_("Anote las observaciones del supervisor."))
    if len(supervisor.strip()) < 3:
        raise InvalidInput(_("Escriba el nombre del supervisor que responde."))
    code = bundle_code.replace("-", "").replace(" ", "").lower()
    with db.session() as s:
        rows = s.scalars(select(SupBundle).where(SupBundle.bundle_code.like(f"{code}%"))).all()
        if len(rows) != 1:
            raise NotFound(_("No hay un paquete importado con el código {code}.").format(code=bundle_code))
        b = rows[0]
        doc = {"format": FORMAT, "codigo_modular": b.codigo_modular, "month": b.month, "bundle_code": b.bundle_code,
               "head": b.head, "state": state, "observations": observations.strip(), "supervisor": supervisor.strip(),
               "answered_at": datetime.now().isoformat(timespec="seconds")}
    doc["sha256"] = _seal(doc)
    Path(out).write_text(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    return doc


def read_answer(path: Path) -> dict:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(_("El archivo {name} no es una respuesta del supervisor que se pueda leer.").format(
            name=Path(path).name)) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InvalidInput(_("El archivo {name} no es una respuesta del supervisor.").format(name=Path(path).name))
    if doc.get("sha256") != _seal(doc):
        raise InvalidInput(_("La respuesta del supervisor fue modificada después de escribirse: no se registra."))
    if doc.get("state") not in STATES:
        raise InvalidInput(_("La respuesta del supervisor no dice «aprobado» ni «observado»."))
    return doc


def import_answer(db: Database, committee_id: int, path: Path, *, user: str) -> dict:
    """On the committee's side: record the supervisor's answer (the state of the month's rendición)."""
    from . import treasury

    doc = read_answer(path)
    with db.session() as s:
        journal = Journal(s, committee_id)
        # the committee's code, or one it had before a correction (an answer to a bundle sent before it)
        former = {c.old for c in code_history(_row_dict(e) for e in s.scalars(select(JournalEntry).where(
            JournalEntry.committee_id == committee_id, JournalEntry.kind == CODE_CORRECTION_KIND)))}
        if doc["codigo_modular"] != journal.committee_code and doc["codigo_modular"] not in former:
            raise InvalidInput(_("La respuesta es para el comité {other}, no para este ({mine}).").format(
                other=doc["codigo_modular"], mine=journal.committee_code))
        if doc.get("head") and s.scalar(select(JournalEntry.seq).where(
                JournalEntry.committee_id == committee_id, JournalEntry.hash == doc["head"])) is None:
            raise InvalidInput(_("La respuesta no corresponde a un paquete de este comité (su diario no "
                                 "contiene el asiento que la respuesta cita)."))
    # the journal's text stays in Spanish whatever the language shown (it is hashed)
    who = f"{doc['supervisor']} (supervisor), respuesta importada por {getattr(user, 'name', user)}"
    if isinstance(user, Signature):
        signer = Signature(who[:100], user.dni, user.role, user.permissions, user.holders, supervisor_answer=True)
    else:
        signer = who
    treasury.set_cycle_state(db, committee_id, doc["month"], doc["state"], user=signer,
                             observations=doc.get("observations", ""))
    return doc
