"""People and continuity (issue 13): PIN sign-in and lock, roles refusing with who may, the supervisor's
answer never typed, the handover and its acta, backups that verify themselves and restore the same data."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from qaliwarma.domain.committee import MemberForm
from qaliwarma.domain.people import Signature
from qaliwarma.domain.treasury import Transfer
from qaliwarma.errors import NotAllowed, SignInError
from qaliwarma.persistence.engine import open_database
from qaliwarma.persistence.journal import Journal
from qaliwarma.services import backup, people, treasury

PRESIDENT, SECRETARY, VOCAL, TREASURER = "41234567", "42345678", "43456789", "45678901"


@pytest.fixture
def signed_demo(demo_copy):
    db, info = demo_copy
    for m in info.form.members:
        people.set_pin(db, info.id, m.dni, "1234", user=people.SETUP_USER)
    return db, info


def _entries(db, cid):
    with db.session() as s:
        return Journal(s, cid).entries()


def test_pin_is_stored_as_argon2_and_signs_in(signed_demo):
    db, info = signed_demo
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
        stored = conn.execute("SELECT pin_hash FROM member_credentials WHERE dni=?", (VOCAL,)).fetchone()[0]
    assert stored.startswith("$argon2id$") and "1234" not in stored
    signed = people.sign_in(db, info.id, VOCAL, "1234")
    assert signed == "Marcelina Taipe Soto (DNI 43456789)" and signed.role == "vocal"


def _stored_hash(db, dni):
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
        return conn.execute("SELECT pin_hash FROM member_credentials WHERE dni=?", (dni,)).fetchone()[0]


def test_a_pin_hashed_with_the_earlier_argon2_profile_still_signs_in_and_is_rehashed(signed_demo):
    from argon2 import PasswordHasher

    db, info = signed_demo
    assert "$m=19456,t=2,p=1$" in _stored_hash(db, VOCAL)  # a PIN set now: OWASP's Argon2id profile
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash("1234")  # argon2-cffi's default
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE member_credentials SET pin_hash=? WHERE dni=?", (old, VOCAL))
    with pytest.raises(SignInError):
        people.sign_in(db, info.id, VOCAL, "9999")
    assert _stored_hash(db, VOCAL) == old  # a wrong PIN rewrites nothing
    assert people.sign_in(db, info.id, VOCAL, "1234").role == "vocal"
    new = _stored_hash(db, VOCAL)
    assert "$m=19456,t=2,p=1$" in new and PasswordHasher().verify(new, "1234")
    assert people.sign_in(db, info.id, VOCAL, "1234").role == "vocal"


def test_five_wrong_pins_lock_the_member_for_a_while(signed_demo):
    db, info = signed_demo
    now = datetime(2026, 11, 26, 10, 0)
    for n in range(1, 5):
        with pytest.raises(SignInError, match=f"Le quedan {5 - n} intento"):
            people.sign_in(db, info.id, VOCAL, "9999", now=now)
    with pytest.raises(SignInError, match="bloquead"):
        people.sign_in(db, info.id, VOCAL, "9999", now=now)
    with pytest.raises(SignInError, match="bloquead"):  # even the right PIN, while locked
        people.sign_in(db, info.id, VOCAL, "1234", now=now + timedelta(minutes=5))
    assert people.sign_in(db, info.id, VOCAL, "1234", now=now + timedelta(minutes=16)).dni == VOCAL
    # another member is not affected
    assert people.sign_in(db, info.id, TREASURER, "1234", now=now).dni == TREASURER


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", " 1234"])
def test_a_pin_is_four_to_six_digits(signed_demo, pin):
    db, info = signed_demo
    with pytest.raises(Exception, match="de 4 a 6 números"):
        people.set_pin(db, info.id, VOCAL, pin, user=people.signature(db, info.id, PRESIDENT))


def test_only_the_member_or_the_president_changes_a_pin(signed_demo):
    db, info = signed_demo
    vocal = people.signature(db, info.id, VOCAL)
    people.set_pin(db, info.id, VOCAL, "5678", user=vocal)  # their own
    with pytest.raises(NotAllowed, match="Rosa Quispe Huamán"):
        people.set_pin(db, info.id, TREASURER, "5678", user=vocal)
    people.set_pin(db, info.id, TREASURER, "4321", user=people.signature(db, info.id, PRESIDENT))
    assert people.sign_in(db, info.id, TREASURER, "4321").dni == TREASURER
    assert people.sign_in(db, info.id, VOCAL, "5678").dni == VOCAL


def test_a_member_without_the_treasurer_role_is_refused_money_and_nothing_is_written(signed_demo):
    db, info = signed_demo
    before = len(_entries(db, info.id))
    vocal = people.sign_in(db, info.id, VOCAL, "1234")
    with pytest.raises(NotAllowed) as refused:
        treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 20), Decimal("100.00"), "BN"), user=vocal)
    assert "Marcelina Taipe Soto, vocal, no puede registrar dinero" in str(refused.value)
    assert "tesorero(a) (Yolanda Curi Ramos)" in str(refused.value)
    assert len(_entries(db, info.id)) == before
    treasurer = people.sign_in(db, info.id, TREASURER, "1234")
    seq = treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 20), Decimal("100.00"), "BN"), user=treasurer)
    assert _entries(db, info.id)[-1].seq == seq
    assert _entries(db, info.id)[-1].user == "Yolanda Curi Ramos (DNI 45678901)"


def test_roles_are_data_the_president_can_change(signed_demo):
    db, info = signed_demo
    president = people.signature(db, info.id, PRESIDENT)
    people.set_permission(db, info.id, "dinero", ["tesorero", "vocal"], user=president)
    vocal = people.sign_in(db, info.id, VOCAL, "1234")
    treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 20), Decimal("10.00"), "BN"), user=vocal)
    with pytest.raises(NotAllowed, match="presidente"):
        people.set_permission(db, info.id, "cierre", ["vocal"], user=vocal)


def test_the_supervisors_approval_is_never_typed_by_the_committee(signed_demo):
    db, info = signed_demo
    treasurer = people.sign_in(db, info.id, TREASURER, "1234")
    treasury.set_cycle_state(db, info.id, "2026-11", "presentado", user=treasurer)
    for who in (treasurer, people.signature(db, info.id, PRESIDENT)):
        with pytest.raises(NotAllowed, match="la da el supervisor"):
            treasury.set_cycle_state(db, info.id, "2026-11", "aprobado", user=who)
    assert treasury.cycle_state(db, info.id, "2026-11") == "presentado"


def test_every_entry_names_a_member_in_the_demo(demo_file, tmp_path):
    """The demo's records are signed by the member whose role makes them (setup.initialise path)."""
    from qaliwarma.services.setup import demo_form, initialise

    db = open_database(f"sqlite:///{tmp_path / 'init.sqlite3'}")
    initialise(db, demo=True)
    from qaliwarma.services import committee

    info = committee.require(db)
    names = {f"{m.name} (DNI {m.dni})" for m in demo_form().members}
    users = {e.user for e in _entries(db, info.id)}
    assert users and users <= names
    db.dispose()


def test_handover_keeps_history_and_the_acta_lists_what_is_handed_over(signed_demo, tmp_path):
    db, info = signed_demo
    president = people.sign_in(db, info.id, PRESIDENT, "1234")
    with pytest.raises(NotAllowed, match="presidente"):
        people.handover(db, info.id, date(2026, 12, 1), [TREASURER], [], user=people.signature(db, info.id, VOCAL))
    new = MemberForm("Ana Pari Quispe", "47890123", "tesorero", "padre_madre", date(2026, 12, 1))
    done = people.handover(db, info.id, date(2026, 12, 1), [TREASURER], [new], user=president,
                           incoming_pins={"47890123": "2468"})
    assert [m.name for m in done.outgoing] == ["Yolanda Curi Ramos"]
    assert done.outgoing[0].end_date == date(2026, 11, 30)
    history = {m.dni: m for m in people.history(db, info.id)}
    assert history[TREASURER].end_date == date(2026, 11, 30) and history["47890123"].start_date == date(2026, 12, 1)
    assert people.sign_in(db, info.id, "47890123", "2468", now=datetime(2026, 12, 2)).role == "tesorero"
    with pytest.raises(SignInError, match="dejó el comité"):
        people.sign_in(db, info.id, TREASURER, "1234", now=datetime(2026, 12, 2))

    from qaliwarma.reports.handover import build_handover_acta, facts

    f = facts(db, info, date(2026, 12, 1))
    assert [p.name for p in f.incoming] == ["Ana Pari Quispe"]
    from qaliwarma.services import stock

    held = sum(lot.balance_grams for lot in stock.lots(db, info.id))
    assert sum(lot.balance_grams for lot in f.lots) == held > 0
    book = treasury.cash_book(db, info.id, date(2026, 12, 1))
    assert (f.bank, f.cash) == (book[-1].bank_balance, book[-1].cash_balance)
    assert [m for m, _ in f.pending] == ["2026-11"]
    assert [i.incident.description[:12] for i in f.incidents] == ["Dos bolsas d"]  # the one not reported
    out = build_handover_acta(db, info, tmp_path / "acta.pdf", day=date(2026, 12, 1))
    assert out.read_bytes().startswith(b"%PDF")


# ------------------------------------------------------------------------------------------ backups
def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_restored_on_a_fresh_folder_gives_the_same_verify_and_report_code(signed_demo, tmp_path):
    from qaliwarma.reports.monthly import build_monthly_report
    from qaliwarma.services import committee

    db, info = signed_demo
    made = backup.create(db, folder=tmp_path)
    assert made.committees[0].codigo_modular == info.form.codigo_modular
    with db.session() as s:
        check = Journal(s, info.id).verify()
    code = build_monthly_report(db, info, "2026-11", tmp_path / "antes.pdf", today=date(2026, 11, 26))
    assert made.committees[0].entries == check.entries and made.committees[0].head == check.head

    fresh = tmp_path / "nueva" / "qaliwarma.sqlite3"
    restored = backup.restore(made.path, fresh)
    assert restored.replaced is None
    again = open_database(f"sqlite:///{fresh}")
    info2 = committee.require(again)
    with again.session() as s:
        check2 = Journal(s, info2.id).verify()
    assert (check2.ok, check2.entries, check2.head) == (True, check.entries, check.head)
    assert build_monthly_report(again, info2, "2026-11", tmp_path / "despues.pdf", today=date(2026, 11, 26)) == code
    assert people.sign_in(again, info2.id, TREASURER, "1234").dni == TREASURER  # PINs travel with it
    again.dispose()


def _damage(src: Path, dst: Path, how: str) -> Path:
    data = bytearray(src.read_bytes())
    if how == "flip":
        data[len(data) // 2] ^= 0x55
        dst.write_bytes(bytes(data))
    elif how == "truncate":
        dst.write_bytes(bytes(data[: len(data) // 3]))
    elif how == "table":  # a table edited with sqlite3, journal untouched, fingerprint made to match
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
            import json

            tmp = dst.with_suffix(".sqlite3")
            tmp.write_bytes(zin.read("qaliwarma.sqlite3"))
            with sqlite3.connect(tmp) as conn:
                conn.execute("UPDATE treasury_expenses SET amount = amount + 100 "
                             "WHERE id = (SELECT MIN(id) FROM treasury_expenses)")
            edited = tmp.read_bytes()
            doc = json.loads(zin.read("copia.json"))
            doc["database_sha256"] = hashlib.sha256(edited).hexdigest()
            zout.writestr("copia.json", json.dumps(doc))
            zout.writestr("qaliwarma.sqlite3", edited)
    else:  # a consistent zip whose database was edited behind the application's back
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
            manifest = zin.read("copia.json")
            db_bytes = zin.read("qaliwarma.sqlite3")
            tmp = dst.with_suffix(".sqlite3")
            tmp.write_bytes(db_bytes)
            with sqlite3.connect(tmp) as conn:
                conn.execute("DROP TRIGGER IF EXISTS trg_journal_no_update")
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
                    conn.execute(f"DROP TRIGGER {name}")
                # whatever the demo withdrew, the journal now says S/ 9,500 (the records keep the real amount)
                conn.execute("UPDATE journal_entries SET payload = json_set(payload, '$.amount', '9500') "
                             "WHERE kind = 'tesoreria.retiro'")
                assert conn.execute("SELECT count(*) FROM journal_entries WHERE kind = 'tesoreria.retiro' "
                                    "AND json_extract(payload, '$.amount') = '9500'").fetchone()[0] == 1
            edited = tmp.read_bytes()
            import json

            doc = json.loads(manifest)
            doc["database_sha256"] = hashlib.sha256(edited).hexdigest()  # even with a matching fingerprint
            zout.writestr("copia.json", json.dumps(doc))
            zout.writestr("qaliwarma.sqlite3", edited)
    return dst


@pytest.mark.parametrize("how", ["flip", "truncate", "edited", "table"])
def test_a_damaged_backup_is_refused_and_nothing_changes(signed_demo, tmp_path, how):
    db, info = signed_demo
    made = backup.create(db, folder=tmp_path)
    bad = _damage(made.path, tmp_path / f"mala-{how}.qwcopia", how)
    target = Path(db.url.removeprefix("sqlite:///"))
    db.dispose()
    before = _sha(target)
    listing = sorted(p.name for p in target.parent.iterdir())
    with pytest.raises(backup.BackupRefused, match="dañad|no es una copia|no coinciden con su diario"):
        backup.restore(bad, target)
    assert _sha(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == listing


def test_restore_keeps_the_replaced_data_aside(signed_demo, tmp_path):
    db, info = signed_demo
    made = backup.create(db, folder=tmp_path)
    treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 20), Decimal("5.00"), "BN"), user="x")
    target = Path(db.url.removeprefix("sqlite:///"))
    count_after = len(_entries(db, info.id))
    db.dispose()
    done = backup.restore(made.path, target)
    with sqlite3.connect(done.replaced) as conn:
        assert conn.execute("SELECT count(*) FROM journal_entries").fetchone()[0] == count_after
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM journal_entries").fetchone()[0] == count_after - 1


def test_automatic_backups_daily_once_and_rotated(signed_demo, tmp_path):
    db, _info = signed_demo
    folder = tmp_path / "copias"
    folder.mkdir()
    assert backup.automatic(db, "diaria", folder=folder) is not None
    assert backup.automatic(db, "diaria", folder=folder) is None  # once a day
    for n in range(9):  # older days' copies
        (folder / f"qaliwarma-diaria-202611{10 + n:02d}-120000{backup.SUFFIX}").write_bytes(b"x")
    backup.rotate(folder)
    kept = sorted(p.name for p in folder.glob(f"qaliwarma-diaria-*{backup.SUFFIX}"))
    assert len(kept) == backup.KEEP["diaria"] and kept[-1].startswith(f"qaliwarma-diaria-{date.today():%Y%m%d}")


def test_a_copy_killed_half_way_leaves_a_working_folder_that_the_next_copy_removes(signed_demo, tmp_path):
    """Power cut or kill -9 while a copy is written: its working folder (a whole copy of the database) stays
    in «copias»; the next automatic copy removes it once it is an hour old, and nothing else."""
    import os
    import signal
    import subprocess
    import sys
    import time

    db, _info = signed_demo
    folder = tmp_path / "copias"
    folder.mkdir()
    database = Path(db.url.removeprefix("sqlite:///"))
    marker = tmp_path / "escribiendo"
    # a real copy, stopped with SIGKILL while the zip is being written (the database already copied aside)
    script = (
        "import sys, time, zipfile\n"
        "from pathlib import Path\n"
        "from qaliwarma.persistence.engine import open_database\n"
        "from qaliwarma.services import backup\n"
        "write = zipfile.ZipFile.write\n"
        "def stalled(self, *a, **k):\n"
        "    Path(sys.argv[3]).write_text('x')\n"
        "    time.sleep(60)\n"
        "zipfile.ZipFile.write = stalled\n"
        "backup.create(open_database('sqlite:///' + sys.argv[1]), folder=Path(sys.argv[2]))\n")
    child = subprocess.Popen([sys.executable, "-c", script, str(database), str(folder), str(marker)],
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    try:
        for _ in range(600):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the copy never reached the zip"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    (left,) = [p for p in folder.iterdir() if p.is_dir()]
    assert left.name.startswith(backup.WORK_PREFIX) and (left / backup.DB_NAME).stat().st_size > 0
    assert not list(folder.glob(f"*{backup.SUFFIX}"))  # no copy under a final name
    fresh = folder / f"{backup.WORK_PREFIX}otro-programa"  # a copy another program is making right now
    fresh.mkdir()
    unrelated = folder / "mis-documentos"
    unrelated.mkdir()
    hour_ago = time.time() - backup.LEFTOVER_AGE_S - 60
    os.utime(left, (hour_ago, hour_ago))
    assert backup.automatic(db, "diaria", folder=folder) is not None
    assert not left.exists()
    assert fresh.is_dir() and unrelated.is_dir()
    (made,) = folder.glob(f"qaliwarma-diaria-*{backup.SUFFIX}")
    assert backup.verify(made).committees  # the new copy is whole


def test_closing_a_month_first_makes_a_backup_of_the_data_as_it_was(signed_demo):
    from qaliwarma.services import periods

    db, info = signed_demo
    periods.close(db, info.id, "2026-11", user="Rosa", today=date(2026, 12, 2))
    folder = Path(db.url.removeprefix("sqlite:///")).parent / "copias"
    (made,) = folder.glob(f"qaliwarma-cierre-*{backup.SUFFIX}")
    held = backup.verify(made)
    assert held.committees[0].months_closed == []  # taken before the closing
    assert held.committees[0].entries == len(_entries(db, info.id)) - 1


def test_new_database_and_data_folder_are_private(tmp_path, monkeypatch):
    from qaliwarma.paths import data_dir

    monkeypatch.setenv("QALIWARMA_DATA_DIR", str(tmp_path / "datos"))
    folder = data_dir()
    assert folder.stat().st_mode & 0o777 == 0o700
    db = open_database(f"sqlite:///{folder / 'qw.sqlite3'}")
    assert (folder / "qw.sqlite3").stat().st_mode & 0o777 == 0o600
    db.dispose()


def test_a_signature_reads_as_the_members_name():
    s = Signature("Ana Pari", "47890123", "tesorero", {"dinero": ("tesorero",)})
    assert s == "Ana Pari (DNI 47890123)" and s.may("dinero") and not s.may("cierre")


def test_restoring_an_older_copy_says_what_would_stop_being_seen(signed_demo, tmp_path):
    """An older copy restored reopened a closed month and hid every record made since, with nothing said."""
    from qaliwarma.services import periods

    db, info = signed_demo
    made = backup.create(db, folder=tmp_path)
    target = Path(db.url.removeprefix("sqlite:///"))
    assert backup.losses(target, backup.verify(made.path)) == []  # the copy is the data: nothing to lose
    before = len(_entries(db, info.id))
    treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 20), Decimal("5.00"), "BN"), user="x")
    periods.close(db, info.id, "2026-10", user="x", today=date(2026, 11, 26))
    after = len(_entries(db, info.id))
    said = backup.losses(target, backup.verify(made.path))
    assert said == [f"I.E. N.° 36009 Virgen de la Candelaria (0456789): los datos actuales tienen {after} asientos y "
                    f"la copia {before}: los {after - before} más recientes dejarían de verse; el cierre de octubre "
                    "de 2026 se desharía (el mes quedaría abierto)."]
