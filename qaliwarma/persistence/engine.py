"""Engine factory, start-up upgrade and the unit of work.

SQLite: WAL, foreign keys on, synchronous FULL, a busy timeout; the file is copied aside before an
upgrade. PostgreSQL: the same code by URL. Alembic runs only when the database's revision differs
from the application's head (checked with a plain query first: importing Alembic costs ~0.3 s).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import DatabaseBusy, DatabaseError, DatabaseTooNew, QaliwarmaError
from ..i18n import N_, _
from .schema_version import HEAD_REVISION, KNOWN_REVISIONS

BUSY_SECONDS = 10  # how long a SQLite writer waits for another before giving up with a message
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA recursive_triggers=ON")  # REPLACE's implicit deletes fire DELETE triggers too
    cursor.close()


def driver_url(url: str) -> str:
    """A PostgreSQL address as libpq and most tools write it (``postgresql://…``, ``postgres://…``) with the
    driver the application installs (psycopg 3): SQLAlchemy would look for psycopg2 and fail."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def make_engine(url: str) -> Engine:
    url = driver_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    name = url.removeprefix("sqlite:///")
    return None if name in ("", ":memory:") else Path(name)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _backup_sqlite(path: Path, revision: str) -> Path:
    """Copy a SQLite database aside (online backup: safe with WAL) before an upgrade."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.antes-de-actualizar-{revision}-{stamp}{path.suffix}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # batch migrations rebuild tables other tables point at: SQLite's documented procedure is
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # keys off (outside the transaction), …
            connection.commit()
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
                if sqlite:  # … then check every key before committing: a dangling one undoes the upgrade
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if dangling:
                        raise DatabaseError(_("La actualización dejaría referencias rotas ({value}); no se cambió nada.").format(value=dangling[:3]))
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


@dataclass(eq=False)
class Database:
    """An open database: the engine and a session factory (one short session per operation)."""

    url: str
    engine: Engine
    backup_path: Path | None = None
    in_atomic: bool = False
    _factory: sessionmaker = field(init=False, repr=False)
    #: what was found true of the data while it stayed unchanged (see change_token): {key: (token, value)}
    memo: dict = field(default_factory=dict, init=False, repr=False)
    _watch: sqlite3.Connection | None = field(default=None, init=False, repr=False)
    _watched: tuple = field(default=(), init=False, repr=False)  # (device, inode) of the file it watches
    _watch_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    def change_token(self) -> tuple | None:
        """A value that is the same only while nothing in the database has changed, or None where that cannot
        be told (PostgreSQL, a database in memory, a file replaced since it was opened).

        SQLite: ``PRAGMA data_version`` read on a read-only connection of its own that never writes, which
        changes with every commit by any other connection, of this process or another (the sqlite3 shell, a
        second copy of the application); plus the size, modification and status-change times of the file and
        its write-ahead log, which change when the file is written without SQLite (the status-change time also
        when the modification time is put back, on Linux and macOS; on Windows it is the creation time, which
        does not). A check whose result is kept under a token (``memo``) is repeated as soon as it differs.
        """
        path = sqlite_file(self.url) if not self.in_atomic else None
        if path is None:
            return None
        try:
            st = path.stat()
        except OSError:
            return None
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                                                  check_same_thread=False, isolation_level=None)
                    self._watched = (st.st_dev, st.st_ino)
                elif self._watched != (st.st_dev, st.st_ino):
                    return None  # another file under the name: the open connections still read the old one
                version = self._watch.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return None
        files = [(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)]
        try:
            wal = Path(f"{path}-wal").stat()
        except OSError:
            files.append(None)
        else:
            files.append((wal.st_dev, wal.st_ino, wal.st_size, wal.st_mtime_ns, wal.st_ctime_ns))
        return version, *files

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls everything back on any error."""
        session = self._factory()
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            error = _concurrency_error(exc)
            if error is None:
                raise
            raise error from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """A Database whose every unit of work is a savepoint inside ONE transaction: services called
        with it either all commit at the end of the block or, if anything fails or the process is
        killed, none of them does (``init``, ``init --demo``, loading the reference data). Nested
        use joins the outer block."""
        if self.in_atomic:
            yield self
            return
        try:
            with self.engine.connect() as conn:
                if self.is_sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite emits no BEGIN; savepoints need one
                else:
                    conn.begin()
                inner = Database(self.url, self.engine)
                inner.in_atomic = True
                inner._factory = sessionmaker(bind=conn, expire_on_commit=False,
                                              join_transaction_mode="create_savepoint")
                try:
                    yield inner
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
        except DBAPIError as exc:  # another writer held the database too long: said as for one unit of work
            error = _concurrency_error(exc)
            if error is None:
                raise
            raise error from exc

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()  # Windows cannot replace a file that is open (restoring a backup)
                self._watch = None
        self.memo.clear()
        self.engine.dispose()


BUSY_MESSAGE = N_("La base de datos está ocupada por otra operación (se esperó {seconds} segundos). Vuelva a "
                "intentarlo en un momento; no se guardó nada.")
# Also what a record that repeats one already kept gets (a constraint the forms' checks did not foresee): said so,
# since «vuelva a intentarlo» alone would fail the same way every time.
CLASH_MESSAGE = N_("No se guardó nada: estos datos chocan con otros ya guardados, por otra persona u operación al "
                   "mismo tiempo, o porque repiten algo registrado antes (el mismo número de acta o de comprobante, "
                   "por ejemplo). Vuelva a intentarlo; si vuelve a pasar, busque el registro que ya existe.")


def _is_busy(exc: DBAPIError) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return ("database is locked" in text or "database is busy" in text or "database table is locked" in text
            or code in ("40001", "40P01", "55P03"))  # serialization failure, deadlock, lock not available


def _concurrency_error(exc: DBAPIError) -> QaliwarmaError | None:
    """A Spanish message for a writer that waited too long or collided with another; other database
    errors go on as they are (they are bugs, not the user's doing)."""
    if _is_busy(exc):
        return DatabaseBusy(_(BUSY_MESSAGE).format(seconds=BUSY_SECONDS))
    if isinstance(exc, IntegrityError) and "append-only" not in str(exc.orig):
        import logging  # which constraint, for whoever helps the committee (the user reads CLASH_MESSAGE)

        logging.getLogger(__name__).warning("Choque al guardar: %s", exc.orig)
        return DatabaseBusy(_(CLASH_MESSAGE))
    return None


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (and, unless told not to, create or upgrade) the database at ``url``.

    Refuses a database written by a newer version of the application.
    """
    path = sqlite_file(url)
    created = path is not None and not path.exists()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if migrate and not path.exists():
            _create_sqlite(path)
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
        if created and path.exists():
            os.chmod(path, 0o600)  # a new database is readable only by the user (issue 13)
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseError(
            _("No se pudo abrir la base de datos ({safe}). Revise la dirección o el archivo. Detalle: {orig}").format(safe=_safe(url), orig=exc.orig)
        ) from exc
    if revision is not None and revision not in KNOWN_REVISIONS:
        engine.dispose()
        raise DatabaseTooNew(
            _("La base de datos ({safe}) fue creada por una versión más nueva de la aplicación (esquema «{revision}»). Instale la versión más reciente de Qali Warma CAE para abrirla; no se ha modificado nada.").format(safe=_safe(url), revision=revision)
        )
    db = Database(url, engine)
    if revision != HEAD_REVISION and migrate:
        if path is not None and revision is not None and path.exists():
            db.backup_path = _backup_sqlite(path, revision)
        try:
            upgrade(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            hint = _(" Hay una copia previa en {backup_path}.").format(backup_path=db.backup_path) if db.backup_path else ""
            raise DatabaseError(_("No se pudo actualizar la base de datos: {exc}.{hint}").format(exc=exc, hint=hint)) from exc
    return db


def _create_sqlite(path: Path) -> None:
    """A new SQLite database appears whole or not at all: the schema is built in a side file that is
    renamed into place only when complete (a first ``init`` killed half-way leaves no broken file;
    the next run starts again)."""
    side = path.with_name(path.name + ".creando")
    for stale in (side, side.with_name(side.name + "-wal"), side.with_name(side.name + "-shm")):
        stale.unlink(missing_ok=True)  # left by a run that was killed
    engine = make_engine(f"sqlite:///{side}")
    try:
        upgrade(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except SQLAlchemyError as exc:
        raise DatabaseError(_("No se pudo crear la base de datos en {path}: {exc}").format(path=path, exc=exc)) from exc
    finally:
        engine.dispose()
    os.chmod(side, 0o600)  # readable only by the user (issue 13), before it gets its real name
    with open(side, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(side, path)
    for leftover in (side.with_name(side.name + "-wal"), side.with_name(side.name + "-shm")):
        leftover.unlink(missing_ok=True)


def _safe(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given
        return url


def copy_file(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)
