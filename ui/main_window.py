"""The main window: a navigation column on the left, the school's name on top, a status bar.

The window shows at once; the database is opened and the reference data loaded on the worker, and
the areas are built when that is done. Areas not built yet are not shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .dialogs.confirm import inform
from .i18n import _
from .qt_setup import lighten_imports
from .tasks import TaskRunner
from .theme import set_role
from .widgets.banner import Banner

lighten_imports()  # before the pages and the services are imported

from .areas import AREAS, NAVIGATION  # noqa: E402, F401 - the areas, without Qt (the command line reads them)

WARM_UP_DELAY_MS = 300


def _scrollable(page: QWidget) -> QWidget:
    """A page inside a scroll area: on a small screen (1366×768 with a taskbar) nothing is cut off;
    the page scrolls instead of pushing the window taller than the screen."""
    from PySide6.QtWidgets import QScrollArea

    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    page.setProperty("scroll_area", area)
    return area


class PageMissing(ImportError):
    """An area of the navigation whose page module or class is not there: a broken build, never hidden."""


def _check_page(target: str) -> None:
    """Raise ``PageMissing`` at start-up when the module of ``target`` is not installed, without importing it
    (the page itself is imported and built on the first visit to its area)."""
    import importlib.util

    module_name = target.partition(":")[0]
    try:
        found = importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        raise PageMissing(f"La página {target} no está instalada (falta el módulo {module_name}).")


class _Pages(Mapping):
    """The window's pages by area key. Every area with a page is a key from the start; a page is built the
    first time it is asked for (shown, or used by a test), so start-up builds only the first page."""

    def __init__(self) -> None:
        self._built: dict[str, QWidget] = {}
        self._factories: dict[str, object] = {}

    def add(self, key: str, factory) -> None:
        self._factories[key] = factory

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._built:
            factory = self._factories.pop(key)  # KeyError for an area without a page
            self._built[key] = factory()
        return self._built[key]

    def __iter__(self):
        return iter([*self._built, *self._factories])

    def __len__(self) -> int:
        return len(self._built) + len(self._factories)

    def __contains__(self, key) -> bool:
        return key in self._built or key in self._factories

    def built(self) -> dict[str, QWidget]:
        """The pages built so far (nothing is built by asking)."""
        return dict(self._built)


def _page_class(target: str):
    """The page class named by ``module:Class``. A missing module or class raises ``PageMissing``: an
    installation without one of its pages must fail at once, not open with an area silently gone."""
    import importlib

    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise PageMissing(f"La página {target} no está instalada (falta el módulo {module_name}).") from exc
        raise
    try:
        return getattr(module, class_name)
    except AttributeError:
        raise PageMissing(f"La página {target} no está instalada (el módulo no tiene {class_name}).") from None


def supervisor_mode(loaded) -> bool:
    """«Supervisión» is shown when the database already holds committees' bundles, or when the program
    was started once with ``qaliwarma-gui --supervisor si`` (remembered in the data folder's settings;
    ``--supervisor no`` hides it again). A committee's own database never shows it by itself."""
    from .settings import flag

    return bool(getattr(loaded, "has_bundles", False)) or flag("modo/supervisor")


def _count_refreshes(page: QWidget) -> None:
    """Count a page's reloads, so that showing it (whose showEvent may already reload it) reloads it once."""
    refresh = getattr(page, "refresh", None)
    if refresh is None:
        return

    def counted(*args, **kwargs):
        page.setProperty("refreshes", _refreshes(page) + 1)
        return refresh(*args, **kwargs)

    page.refresh = counted


def _refreshes(page: QWidget) -> int:
    return page.property("refreshes") or 0


def _places() -> tuple:
    """Peru's districts (1,892 rows of resources/ubigeo), read when the committee page is first built."""
    from qaliwarma.services.committee import places

    return places()


def _identity(info) -> tuple | None:
    """Which committee a database holds (not its members or enrolment, which another window may change)."""
    return None if info is None else (info.id, info.form.codigo_modular, info.form.school_name)


class UnexpectedDatabase(Exception):
    """The database the window opened is not the one the second process read Inicio from (ui.first_page)."""


def _pass_on(done: Future, to: Future) -> None:
    """``to`` takes ``done``'s outcome."""
    error = done.exception()
    if error is not None:
        to.set_exception(error)
    else:
        to.set_result(done.result())


def _user_error(error: Exception) -> Exception:
    """A domain error as it is; anything else worded for the user, as the task runner does."""
    from qaliwarma.errors import QaliwarmaError

    from .tasks import UnexpectedError

    return error if isinstance(error, QaliwarmaError) else UnexpectedError(f"{type(error).__name__}: {error}")


class MainWindow(QMainWindow):
    #: emitted once the start-up load has finished (True) or failed (False)
    loaded = Signal(bool)
    #: emitted once the first page shown has its data (its own queries are back and shown)
    first_page_filled = Signal()
    sign_in_asked = Signal(object)  # the sign-in dialog, once it is shown and waiting for a PIN
    _future_done = Signal(object, object)  # callback, Future: a thread's outcome delivered on the GUI thread

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.runner = runner
        runner.dialog_parent = self
        runner.unhandled_error.connect(lambda text: inform(self, _("No se pudo completar"), text, error=True))
        self.db = None
        self.committee = None
        self.signature = None  # the member signed in (domain.people.Signature), once the data is loaded
        self.pages = _Pages()
        # Qt adds « — Qali Warma CAE» (the application's display name) to every window's title
        self.setWindowTitle(_("Comité de Alimentación Escolar"))

        # header: the programme and the school
        header = QFrame()
        header.setObjectName("header")
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(18, 10, 18, 10)
        self.app_label = QLabel(_("Qali Warma CAE"))
        set_role(self.app_label, "appname")
        self.school_label = QLabel(_("Abriendo…"))
        set_role(self.school_label, "school")
        header_layout.addWidget(self.school_label, 1)
        header_layout.addWidget(self.app_label)
        self.help_button = QPushButton(_("Ayuda"))
        self.help_button.setToolTip(_("Guía de esta parte del programa, con sus pasos (tecla F1)"))
        self.help_button.clicked.connect(self.show_help)
        self.help_button.setStyleSheet(
            "QPushButton { color: white; background: transparent; border: 1px solid #dce8f5; border-radius: 4px;"
            " padding: 3px 12px; font-weight: bold; } QPushButton:hover { background: rgba(255, 255, 255, 40); }")
        header_layout.addWidget(self.help_button)
        self._add_about_button(header_layout)
        self._header_layout = header_layout  # «Cambiar de integrante» joins it once a member has signed in

        # navigation column
        nav = QFrame()
        nav.setObjectName("nav")
        bold = self.font()
        bold.setBold(True)
        nav.setFixedWidth(QFontMetrics(bold).horizontalAdvance(_("Alimentos y recetas")) + 72)
        nav_layout = QVBoxLayout(nav)
        nav_layout.setContentsMargins(10, 14, 10, 14)
        nav_layout.setSpacing(4)
        self.nav_group = QButtonGroup(self)
        self.nav_buttons: dict[str, QPushButton] = {}
        style = self.style()
        for key, text, icon, _target in NAVIGATION:
            button = QPushButton(style.standardIcon(getattr(QStyle.StandardPixmap, icon)), _(text))
            button.setCheckable(True)
            set_role(button, "nav")
            button.clicked.connect(lambda _c=False, k=key: self._nav_clicked(k))
            button.hide()
            self.nav_group.addButton(button)
            self.nav_buttons[key] = button
            nav_layout.addWidget(button)
        nav_layout.addStretch(1)

        # content: a banner for problems, then the areas
        self.banner = Banner()
        self.stack = QStackedWidget()
        self.loading = QLabel(_("Preparando los datos… La primera vez puede tardar unos segundos."))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setWordWrap(True)
        set_role(self.loading, "heading")
        self.stack.addWidget(self.loading)
        self.food_tabs = QTabWidget()
        self.food_tabs.setDocumentMode(True)
        self._foods_placeholder: QWidget | None = None  # the food table's tab until it is first opened
        self.food_tabs.currentChanged.connect(self._food_tab_changed)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(14, 10, 14, 6)
        # who signed in may not record in the area shown: said at its top, before a form is filled in vain
        self.role_note = QLabel()
        self.role_note.setTextFormat(Qt.TextFormat.PlainText)  # members' names, as typed
        self.role_note.setWordWrap(True)
        set_role(self.role_note, "hint")
        self.role_note.hide()
        content_layout.addWidget(self.banner)
        content_layout.addWidget(self.role_note)
        content_layout.addWidget(self.stack, 1)

        body = QWidget()
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addWidget(nav)
        body_layout.addWidget(content, 1)

        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(header)
        central_layout.addWidget(body, 1)
        self.setCentralWidget(central)

        self.source_label = QLabel()
        self.statusBar().addPermanentWidget(self.source_label)
        self.statusBar().messageChanged.connect(self._make_room)
        self.statusBar().showMessage(_("Abriendo la base de datos…"))
        self._start_page: str | None = None
        self._prepared: str | None = None
        self._filled = False
        self._url = ""
        self._opening = False  # Inicio was shown from ui.first_page and the window's database is not open yet
        self._wanted: str | None = None  # an area asked for while it was being opened: shown once it is
        self._open_loaded = None  # what the window's own opening of the database found (see _opened)
        self._leaving = False
        self._open_failed = False  # the database could not be opened: only what is shown stays
        self._wanted_lot: tuple[str, int] | None = None
        self._sign_in_db = None  # the Future of the database being opened, while the sign-in waits for it
        self._sign_in_dialog = None  # the sign-in dialog while it is open at start
        self._warmed = False
        self._notes: list[str] | None = None  # what the banner said when the areas were shown (None: not yet)
        self._future_done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._install_shortcuts()

    # ------------------------------------------------------------------ «Acerca de»
    def _add_about_button(self, header_layout) -> None:
        """The window's icon, and «Acerca de» in the header (shown once the data is loaded)."""
        from PySide6.QtGui import QIcon

        from qaliwarma.paths import resources_dir

        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "qaliwarma.png")))
        self.about_button = QPushButton(_("Acerca de"))
        self.about_button.setObjectName("about")
        self.about_button.setStyleSheet(
            "QPushButton { color: white; background: transparent; border: 1px solid #dce8f5; border-radius: 4px;"
            " padding: 3px 12px; } QPushButton:hover { background: rgba(255, 255, 255, 40); }")
        self.about_button.setToolTip(_("Versión, carpeta de datos, base de datos, tabla de alimentos, estándar y "
                                       "recetario en uso"))
        self.about_button.clicked.connect(self.show_about)
        self.about_button.hide()
        header_layout.addWidget(self.about_button)

    def show_about(self):
        from .dialogs.about import AboutDialog

        dialog = AboutDialog(self, self.runner, self.db, self.committee.id if self.committee else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        if area is not None and area.width() < 1500:
            self.showMaximized()
        else:
            self.resize(1366, 800)
            self.show()

    # ------------------------------------------------------------------ start-up
    def start(self, url: str, *, demo: bool = False, page: str | None = None, early=None, preview=None) -> None:
        """Open the database and load the reference data on the worker, then build the areas. ``early``: the
        Future of ``startup.begin(url)``, the same load already started on a thread of its own. ``preview``: the
        Future of ``first_page.spawn(argv)``, the first page read by a second process (ui.first_page)."""
        from .startup import load

        self._start_page, self._url = page, url
        if preview is not None:
            self._when_done(preview, lambda f: self._first_page_read(url, demo, f))
            return
        if early is not None:
            self._when_done(early, self._early_loaded)
            return
        self.runner.run(lambda: load(url, demo=demo), self._on_loaded, on_error=self._on_load_failed,
                        progress=_("Preparando la base de datos…"))

    def _when_done(self, future, callback) -> None:
        """Call ``callback(future)`` on the GUI thread once ``future`` (run on a thread of its own) is done."""
        import shiboken6

        def done(f) -> None:
            if shiboken6.isValid(self):  # a window closed meanwhile hears nothing
                self._future_done.emit(callback, f)

        future.add_done_callback(done)

    def _deliver(self, callback, future) -> None:
        callback(future)

    def _early_loaded(self, future, carried=None) -> None:
        """``carried``: what the second process found (ui.first_page) when the window reads the rest itself: the
        member it signed in with QALIWARMA_PIN, or why it refused them."""
        try:
            loaded = future.result()
        except Exception as error:  # noqa: BLE001 - shown in the banner, never lost
            self._on_load_failed(_user_error(error))
            return
        if carried is not None and _identity(carried.committee) == _identity(loaded.committee):
            loaded.signature = carried.signature
            loaded.warnings.extend(w for w in carried.warnings if w not in loaded.warnings)
            loaded.backup_path = loaded.backup_path or carried.backup_path  # the upgrade it made is said
        self._on_loaded(loaded)

    def _targets(self) -> dict[str, str] | None:
        """The areas' pages (``module:Class``); None when one is missing (said in the banner)."""
        try:
            targets = {key: target for key, _t, _i, target in NAVIGATION if target}
            for target in targets.values():
                _check_page(target)
        except PageMissing as error:  # a broken installation says so instead of hiding an area
            self._on_load_failed(error)
            return None
        return targets

    def _first_page_read(self, url: str, demo: bool, future) -> None:
        """The second process's first page (ui.first_page): Inicio is shown with it at once, and the database
        is opened meanwhile for everything else. Anything but a committee's first page, and the window reads
        everything itself, as without it."""
        from .first_page import read
        from .startup import begin

        page = read(future.result())
        if page is None or page.attention is None or page.loaded.committee is None \
                or self._start_page not in (None, "inicio"):
            # the window reads everything itself, but never checks QALIWARMA_PIN again: the second process may
            # have counted it (it says how it went when it could read the rest; otherwise the window asks)
            carried = page.loaded if page is not None else None
            if carried is not None and page.sign_in_error:
                carried.warnings.append(page.sign_in_error)
            self._when_done(begin(url, demo=demo, check_pin=False),
                            lambda done: self._early_loaded(done, carried))
            return
        targets = self._targets()
        if targets is None:
            return
        loaded = page.loaded
        if page.sign_in_error:
            loaded.warnings.append(page.sign_in_error)
        self._opening = True
        opening: Future = Future()  # the window's own load, started once Inicio (or the sign-in) is shown: until
        self._when_done(opening, self._opened)  # then it would only take turns with building it

        def open_database() -> None:
            begin(url, demo=demo, check_pin=False).add_done_callback(lambda done: _pass_on(done, opening))

        self.signature = loaded.signature
        self.committee = loaded.committee
        from .context import AppContext

        self.ctx = AppContext(None, self.runner, loaded.committee, user=self.signature or "")
        self.ctx.lot_wanted.connect(self._lot_while_opening)
        self._register(loaded, targets)  # built only once the database is open (show_area waits for it)
        self.pages["inicio"].show_read(page.day, page.attention, page.steps)
        self._prepared = "inicio"
        from PySide6.QtCore import QTimer

        if loaded.needs_sign_in and self.signature is None:
            QTimer.singleShot(0, open_database)  # runs in the dialog's loop, once it is shown
            self._sign_in_db = opening  # the PIN is checked once the database is open
            self._ask_then_reveal(loaded)
            return
        self._reveal(loaded)
        QTimer.singleShot(0, open_database)  # after the filled page is painted

    def _opened(self, future) -> None:
        """The window's own database is open (Inicio was shown from ui.first_page): the other areas can be
        built, the day's backup is queued, and an area asked for meanwhile is shown."""
        try:
            loaded = future.result()
        except Exception as error:  # noqa: BLE001 - shown in the banner, never lost
            self._opening = False
            if not self._leaving:
                self._on_load_failed(_user_error(error))
            return
        if self._leaving:  # «Salir» at the sign-in: nothing more is done with it
            loaded.db.dispose()
            return
        if _identity(loaded.committee) != _identity(self.committee):  # file moved, replaced or restored meanwhile
            loaded.db.dispose()
            self._opening = False
            self._on_load_failed(UnexpectedDatabase(_(
                "La base de datos cambió mientras el programa se abría (¿se movió, se reemplazó o se restauró el "
                "archivo?). Lo que muestra Inicio puede no ser de ella. Cierre el programa y vuelva a abrirlo.")))
            return
        import gc

        gc.freeze()  # as in _on_loaded
        self._opening, self._open_loaded = False, loaded
        self.db = self.ctx.db = loaded.db
        self._daily_backup(loaded)
        if self._notes is None:  # the PIN is still being typed: the areas are shown after it
            return
        self._areas_open(loaded)

    def _areas_open(self, loaded) -> None:
        """The database is open and the areas shown: what waited for both."""
        said = set(self._notes)
        notes = [text for text in loaded.warnings if text not in said]  # the second process said them already
        if notes:
            self._notes.extend(notes)
            self.banner.show_message("\n".join(self._notes))
        self.statusBar().showMessage(_("Listo."), 5000)
        self.about_button.show()
        if getattr(self, "switch_button", None) is not None:
            self.switch_button.setEnabled(True)
        self.loaded.emit(True)
        if self._filled and not self._warmed:
            self._warm_up()
        wanted, self._wanted = self._wanted, None
        lot, self._wanted_lot = self._wanted_lot, None
        if wanted:
            self._nav_clicked(wanted)
            if lot is not None and wanted == "almacen":  # «Ir a Almacén» of a card: its lot, selected
                self.ctx.lot_wanted.emit(*lot)

    def _lot_while_opening(self, code: str, lot: int) -> None:
        if self._opening:
            self._wanted_lot = (code, lot)

    def _on_loaded(self, loaded) -> None:
        targets = self._targets()
        if targets is None:
            return
        self.signature = loaded.signature
        import gc

        # what start-up imported and loaded (SQLAlchemy, the services, the reference data) lives as long as the
        # program: the garbage collector's later passes skip it instead of walking it every time
        gc.freeze()
        self._prepare(loaded, targets)
        self._daily_backup(loaded)
        if loaded.committee is not None and loaded.needs_sign_in and self.signature is None:
            # nothing of the committee's data is shown until a PIN is accepted; meanwhile the first page is
            # built and filled behind «Preparando los datos…»
            if loaded.pin_check is not None:
                self._when_done(loaded.pin_check, lambda f: self._pin_checked(loaded, f))
            else:
                self._ask_then_reveal(loaded)
            return
        self._reveal(loaded)

    def _daily_backup(self, loaded) -> None:
        """The day's automatic backup, on the worker behind the first page's queries (see startup.daily_backup):
        the first start of a day used to wait for it (0.3-0.4 s for a year of 10,000 expenses). A failure is
        said in the banner, with whatever else it says."""
        from .startup import daily_backup

        def said(message: str | None) -> None:
            if not message:
                return
            if self._notes is None:  # the areas are not shown yet: said with the other notes when they are
                loaded.warnings.append(message)
            else:
                self._notes.append(message)
                self.banner.show_message("\n".join(self._notes))

        db = loaded.db
        self.runner.run(lambda: daily_backup(db), said, on_error=lambda error: said(str(_user_error(error))))

    def _pin_checked(self, loaded, future) -> None:
        """The PIN of QALIWARMA_MEMBER/QALIWARMA_PIN was checked on a thread of its own."""
        try:
            self.signature = future.result()
        except Exception as error:  # noqa: BLE001 - a wrong PIN: said in the banner, and the window asks
            loaded.warnings.append(str(_user_error(error)))
            self._ask_then_reveal(loaded)
            return
        self._reveal(loaded)

    def _ask_then_reveal(self, loaded) -> None:
        self.signature = self.ask_sign_in(loaded)  # pick your name, type your PIN (issue 13)
        if self._open_failed:  # the database could not be opened meanwhile: the banner says why
            self.signature = None
            return
        if self.signature is None:
            self._leaving = True
            self.pages = _Pages()  # what was prepared behind the notice is never shown
            self.loaded.emit(False)
            self.close()
            return
        self._reveal(loaded)

    def ask_sign_in(self, loaded):
        """The member who signs in (None: the user chose «Salir»)."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QDialog

        from .dialogs.sign_in import SignInDialog

        dialog = SignInDialog(self, self._sign_in_db or loaded.db, self.runner, loaded.committee, loaded.members)
        QTimer.singleShot(0, lambda: self.sign_in_asked.emit(dialog))  # runs once the dialog's own loop does
        self._sign_in_dialog = dialog
        try:
            return dialog.signature if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            self._sign_in_dialog = None

    def _first_area(self, loaded) -> str:
        first = "inicio" if "inicio" in self.pages else "recetas"
        if not loaded.committee and "supervision" in self.pages:
            first = "supervision"  # a supervisor's folder: no committee to register, bundles to import
        return self._start_page or (first if loaded.committee or first == "supervision" else "comite")

    def _prepare(self, loaded, targets: dict) -> None:
        """Register every area's page; the first page «Inicio» is built now, hidden, and starts filling itself
        on the worker; the others are built on their first visit (each builds itself and fills itself)."""
        self.db = loaded.db
        self.committee = loaded.committee
        from .context import AppContext

        self.ctx = AppContext(loaded.db, self.runner, loaded.committee, user=self.signature or "")
        self._register(loaded, targets)
        self._prepared = None
        first = self._first_area(loaded)
        if first == "inicio":  # reads no signature: safe to fill before the PIN is accepted
            try:
                page = self.pages[first]
            except PageMissing:
                return  # said when the area is shown
            page.refresh()
            self._prepared = first

    def _register(self, loaded, targets: dict) -> None:
        """Every area's page, to be built on its first visit."""
        self.pages.add("recetas", self._build_recipes)
        self.pages.add("alimentos", self._build_foods)
        self.pages.add("comite", lambda: self._build_committee(loaded.places or _places()))
        for key, _text, _icon, _target in NAVIGATION:
            target = targets.get(key)
            if key == "supervision" and not supervisor_mode(loaded):
                continue  # a committee does not see the supervisor's area
            if target is not None:
                self.pages.add(key, lambda target=target: self._build_page(target))

    def _reveal(self, loaded) -> None:
        """The PIN is accepted (or none is needed): show the areas, the committee and the first page."""
        if self._open_failed:  # said in the banner; nothing more is shown
            return
        if self.signature is not None:
            self.ctx.user = self.signature
            self._show_member()
            self.switch_button.setEnabled(not self._opening)  # another member signs in once the database is open
        for key, _text, _icon, _target in NAVIGATION:
            if key in self.pages or key in ("alimentos_recetas", "comite"):
                self.nav_buttons[key].show()

        self.source_label.setText(_("Tabla de alimentos: {source} ({n} alimentos)").format(
            source=loaded.source_text, n=loaded.food_count) if loaded.source_text else "")
        self.source_label.setToolTip(_("Base de datos: {url}").format(url=loaded.db.url if loaded.db else self._url))
        self._make_room(self.statusBar().currentMessage())  # «Abriendo la base de datos…» may still be shown
        notes = list(loaded.warnings)
        if loaded.backup_path:
            notes.append(_("La base de datos se actualizó; hay una copia previa en {path}.").format(
                path=loaded.backup_path))
        if notes:
            self.banner.show_message("\n".join(notes))
        self._notes = notes

        self._apply_committee(loaded.committee)
        first = self._first_area(loaded)
        try:
            self.show_area(first, refresh=first != self._prepared)
        except PageMissing as error:
            self._on_load_failed(error)
            return
        self._filled = False
        if not self._opening:  # the database is open (not still opening behind a first page: see _opened)
            self._areas_open(self._open_loaded or loaded)
        page = self.pages.built().get(first)
        if page is not None and hasattr(page, "filled"):  # the page says when its data is shown
            if page.is_filled():
                self._first_filled()
            else:
                page.filled.connect(self._first_filled)
            return
        self.runner.busy_changed.connect(self._check_first_fill)
        self._check_first_fill(self.runner.is_busy())

    def _check_first_fill(self, busy: bool) -> None:
        """A page that does not say when it is filled has its data once the worker is idle after the load."""
        if busy or self._filled:
            return
        self.runner.busy_changed.disconnect(self._check_first_fill)
        self._first_filled()

    def _first_filled(self) -> None:
        """Say the first page is filled, then prepare on the worker what other pages need (units, the food
        matrix) so their first visit does not wait for it."""
        if self._filled:
            return
        self._filled = True
        self.first_page_filled.emit()
        from PySide6.QtCore import QTimer

        QTimer.singleShot(WARM_UP_DELAY_MS, self._warm_up)  # once the filled page is painted

    def _warm_up(self) -> None:
        from .startup import check_in_background, warm_up

        db = self.db
        if db is not None and not self._warmed:
            self._warmed = True
            self.runner.run(lambda: warm_up(db), None, on_error=lambda _error: None)
            if self.committee is not None:  # Cierre finds it done; a finding is said at once
                check_in_background(self.runner, db, self.committee.id, self._checked_on_opening)

    def _checked_on_opening(self, result) -> None:
        """The whole check made when the window opened: records changed outside the program are said now, not
        only when someone opens «Cierre de mes»."""
        if result.ok:
            return
        first = result.first_problem(plain=True)  # a committee member reads it: no file's table names
        self.banner.show_message(_(
            "Los registros del comité no coinciden con su diario ({n} diferencia(s); la primera: {first}). Alguien "
            "los cambió fuera del programa. No cierre el mes ni imprima sus papeles: avise al supervisor. «Cierre de mes» los lista; "
            "«qaliwarma verify» los muestra todos.").format(n=len(result.findings) or 1, first=first), error=True)

    def _build_page(self, target: str) -> QWidget:
        page = _page_class(target)(self.ctx)
        _count_refreshes(page)
        self.stack.addWidget(_scrollable(page))
        if hasattr(page, "go_to"):
            page.go_to.connect(self.show_area)
        if hasattr(page, "restored"):  # a backup replaced the data: reopen the application
            page.restored.connect(self._data_restored)
        return page

    def _say_role(self, area: str) -> None:
        """Above the area: what the member signed in may not do there, and who may."""
        from qaliwarma.domain.committee import ROLES
        from qaliwarma.domain.people import ACTIONS, Signature

        from .areas import AREA_ACTIONS

        action, who = AREA_ACTIONS.get(area), self.signature
        if action is None or not isinstance(who, Signature) or who.may(action):
            self.role_note.hide()
            return
        self.role_note.setText(_("Firmó {name}, {role}: aquí puede ver e imprimir, pero no {action}. Puede hacerlo: "
                                 "{who}.").format(name=who.name, role=_(ROLES.get(who.role, who.role)).lower(),
                                                  action=_(ACTIONS[action]), who=who.who_may(action)))
        self.role_note.show()

    def _show_member(self) -> None:
        """«Firmó: …» in the status bar: the member the entries are recorded for."""
        from qaliwarma.domain.committee import ROLES

        text = _("Firmó: {name}, {role}").format(
            name=self.signature.name, role=_(ROLES.get(self.signature.role, self.signature.role)))
        if getattr(self, "member_label", None) is None:
            self.member_label = QLabel(text)
            self.statusBar().addPermanentWidget(self.member_label)
            # another member of the committee signs in without closing the program (the shared laptop: the
            # treasurer after the secretary had to restart it)
            self.switch_button = QPushButton(_("Cambiar de integrante"))
            self.switch_button.setToolTip(_("Otro integrante firma con su nombre y su PIN; lo que se registre "
                                            "después queda a su nombre"))
            self.switch_button.setStyleSheet(self.help_button.styleSheet())  # the header's look
            self.switch_button.clicked.connect(self.switch_member)
            self._header_layout.insertWidget(self._header_layout.indexOf(self.help_button), self.switch_button)
        else:
            self.member_label.setText(text)

    def _make_room(self, text: str) -> None:
        """A message is drawn across the status bar, under its permanent labels: when it is longer than the room
        they leave («Ahora firma Yolanda Curi Ramos.»), the food table's name gives way until it goes (the two
        texts were drawn one over the other)."""
        bar = self.statusBar()
        taken = sum(label.sizeHint().width() for label in (self.source_label, getattr(self, "member_label", None))
                    if label is not None) + 40
        self.source_label.setVisible(not text or bar.fontMetrics().horizontalAdvance(text) <= bar.width() - taken)

    def switch_member(self) -> None:
        """Another member signs in. What was typed and not saved is asked about first: saved afterwards, it would
        be recorded under the new member's name."""
        if self.db is None or self.committee is None:
            return
        unsaved = self._unsaved_pages()
        if unsaved:
            if not self.confirm_discard(_("Hay cambios que no se guardaron. Si otro integrante firma, se pierden "
                                          "(guardados después, quedarían a su nombre).")):
                return
            for page in unsaved:
                if hasattr(page, "discard_changes"):
                    page.discard_changes()
        from qaliwarma.services import people

        db, cid = self.db, self.committee.id
        self.runner.run(lambda: people.active_members(db, cid), self._ask_switch, on_error=self._show_error_text,
                        owner=self)

    def _ask_switch(self, members) -> None:
        signature = self.ask_member(members)
        if signature is None:  # «Salir» of the dialog: who was signed in stays
            return
        self._signed_in(signature)
        for page in self.pages.built().values():  # what each page said to the last member (a refusal by role, a
            banner = getattr(page, "banner", None)  # confirmation) is not left under the new member's name
            if banner is not None:
                banner.hide()
        area = self.current_area()
        if area:
            self.show_area(area)  # the page reads again, for the new member (what they may do)
        self.statusBar().showMessage(_("Ahora firma {name}.").format(name=signature.name), 8000)

    def ask_member(self, members):
        """The member who signs in now (None: cancelled). Tests replace this."""
        from PySide6.QtWidgets import QDialog

        from .dialogs.sign_in import SignInDialog

        dialog = SignInDialog(self, self.db, self.runner, self.committee, members,
                              title=_("Cambiar de integrante"), leave=_("Cancelar"))
        return dialog.signature if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _show_error_text(self, error: Exception) -> None:
        self.banner.show_message(str(_user_error(error)), error=True)

    def _signed_in(self, signature) -> None:
        """Registering the committee signs its president in (their PIN was set with the registration)."""
        self.signature = signature
        if getattr(self, "ctx", None) is not None:
            self.ctx.user = signature
        self._show_member()
        self._say_role(self.current_area() or "")

    def _build_recipes(self) -> QWidget:
        from .pages.recipes import RecipesPage

        page = RecipesPage(self.db, self.runner)
        page.user = self.signature  # who names preparations in the community's language
        info = self.committee
        page.set_committee(info.id if info else None, info.form.region if info else None)
        self._add_food_tab(page, 0, _("Preparaciones por niño"))
        return page

    def _build_foods(self) -> QWidget:
        from .pages.foods import FoodsPage

        page = FoodsPage(self.db, self.runner)
        self._add_food_tab(page, 1, _("Tabla de alimentos"))
        page.refresh()
        return page

    def _add_food_tab(self, page: QWidget, index: int, label: str) -> None:
        placeholder = self._foods_placeholder if index == 1 else None
        if placeholder is not None:  # the food table takes the place of its empty tab, which stays chosen
            self._foods_placeholder = None
            chosen = self.food_tabs.currentIndex()
            self.food_tabs.blockSignals(True)
            self.food_tabs.removeTab(index)
            self.food_tabs.insertTab(index, page, label)
            self.food_tabs.setCurrentIndex(chosen)
            self.food_tabs.blockSignals(False)
            placeholder.deleteLater()
        else:
            self.food_tabs.insertTab(min(index, self.food_tabs.count()), page, label)
        if self.food_tabs.property("scroll_area") is None:
            self.stack.addWidget(_scrollable(self.food_tabs))

    def _food_tab_changed(self, index: int) -> None:
        if index == 1 and self._foods_placeholder is not None and "alimentos" in self.pages:
            self.pages.get("alimentos")  # built when its tab is first opened

    def _build_committee(self, places) -> QWidget:
        from .pages.committee import CommitteePage

        page = CommitteePage(self.db, self.runner, places)
        page.user = self.signature
        self.stack.addWidget(_scrollable(page))
        page.signed_in.connect(self._signed_in)
        page.committee_saved.connect(self.set_committee)
        page.go_to.connect(self.show_area)
        page.set_committee(self.committee)
        return page

    def _on_load_failed(self, error: Exception) -> None:
        self._open_failed = True
        if self._sign_in_dialog is not None:  # asked while the database was being opened: nothing to sign into
            self._sign_in_dialog.reject()
        for button in self.nav_buttons.values():  # shown with Inicio from ui.first_page: no area opens now
            button.hide()
        self.school_label.setText(_("No se pudo abrir"))
        self.loading.setText(_("El programa no puede mostrar los datos. El mensaje de arriba dice qué hacer; "
                               "después, vuelva a abrir el programa."))
        self.banner.show_message(str(error), error=True, action=_("Cerrar el programa"))
        self.banner.action_clicked.connect(self.close)
        self.statusBar().showMessage(_("La base de datos no se abrió."))
        self.loaded.emit(False)

    # ------------------------------------------------------------------ committee and navigation
    def set_committee(self, info) -> None:
        self._apply_committee(info)
        if getattr(self, "ctx", None) is not None:
            self.ctx.set_committee(info)

    def _apply_committee(self, info) -> None:
        self.committee = info
        if info is None:
            self.school_label.setText(_("Comité sin registrar — regístrelo en «Comité»"))
        else:
            self.school_label.setText(info.form.school_name)
            self.school_label.setToolTip(_("Código modular {code} · {ugel}").format(
                code=info.form.codigo_modular, ugel=info.form.ugel))
        recipes_page = self.pages.built().get("recetas")
        if recipes_page is not None:
            recipes_page.set_committee(info.id if info else None, info.form.region if info else None)

    def show_area(self, name: str, *, refresh: bool = True) -> None:
        """Show area ``name``; its page reads its data again (once: a page that refreshes itself when shown
        is not asked twice). ``refresh=False``: the page was just filled."""
        if self._opening or self._open_failed:  # Inicio shown from ui.first_page, the database not open (yet)
            if name != "inicio":
                if self._opening:  # shown once it is open (a card's «Ir a Almacén» then names its lot)
                    self._wanted, self._wanted_lot = name, None
                return
            self._wanted, self._wanted_lot, refresh = None, None, False  # the last click wins; Inicio is filled
        if name not in self.pages:
            return
        if name in ("recetas", "alimentos"):
            self._food_pages()
            self.stack.setCurrentWidget(self.food_tabs.property("scroll_area"))
            self.food_tabs.setCurrentWidget(self.pages[name])
            self.nav_buttons["alimentos_recetas"].setChecked(True)
            self._say_role(name)
            return
        page = self.pages[name]
        before = _refreshes(page)
        self.stack.setCurrentWidget(page.property("scroll_area") or page)
        self.nav_buttons[name].setChecked(True)
        self._say_role(name)
        if refresh and name != "comite" and hasattr(page, "refresh") and _refreshes(page) == before:
            page.refresh()

    # ------------------------------------------------------------------ unsaved work (issue 13)
    def _unsaved_pages(self) -> list[QWidget]:
        return [p for p in self.pages.built().values()
                if getattr(p, "has_unsaved_changes", None) and p.has_unsaved_changes()]

    def confirm_discard(self, text: str) -> bool:
        """Ask before unsaved changes are lost. True: go on (the changes are dropped)."""
        import os

        if os.environ.get("QT_QPA_PLATFORM") == "offscreen":  # nobody to answer (screenshots, tests)
            return True
        from .dialogs.confirm import confirm

        return confirm(self, _("Cambios sin guardar"), text, _("Salir sin guardar"))

    def _may_leave(self, target: str) -> bool:
        current = self.current_area()
        page = self.pages.built().get(current) if current else None
        if page is None or current == target or not getattr(page, "has_unsaved_changes", None):
            return True
        if not page.has_unsaved_changes():
            return True
        if self.confirm_discard(_("En «{area}» hay cambios que no se guardaron. Si sale, se pierden.").format(
                area=_(dict((k, t) for k, t, _i, _t in NAVIGATION).get(current, current)))):
            if hasattr(page, "discard_changes"):
                page.discard_changes()
            return True
        if current in self.nav_buttons:
            self.nav_buttons[current].setChecked(True)
        return False

    def _nav_clicked(self, key: str) -> None:
        if (self._opening or self._open_failed) and key != "inicio":  # see show_area
            if self._opening:
                self._wanted, self._wanted_lot = key, None
            return
        if not self._may_leave(key):
            return
        if key == "alimentos_recetas":
            self._food_pages()
            self.stack.setCurrentWidget(self.food_tabs.property("scroll_area"))
            self.nav_buttons[key].setChecked(True)
            self._say_role(self.current_area() or "")  # the last area's «no puede registrar…» is not about this one
        else:
            self.show_area(key)

    def current_area(self) -> str | None:
        current = self.stack.currentWidget()
        if current is self.food_tabs.property("scroll_area"):
            return "recetas" if self.food_tabs.currentWidget() is self.pages.built().get("recetas") else "alimentos"
        return next((k for k, p in self.pages.built().items() if p.property("scroll_area") is current), None)

    def _food_pages(self) -> None:
        """«Alimentos y recetas» holds two pages in tabs: the preparations are built on the first visit, the food
        table when its tab is first opened (its tab is there from the start)."""
        if "recetas" in self.pages:
            self.pages.get("recetas")
            if "alimentos" not in self.pages.built() and self._foods_placeholder is None:
                self._foods_placeholder = QWidget()
                self.food_tabs.blockSignals(True)
                self.food_tabs.insertTab(1, self._foods_placeholder, _("Tabla de alimentos"))
                self.food_tabs.blockSignals(False)

    # ------------------------------------------------------------------ keyboard
    def _install_shortcuts(self) -> None:
        """Ctrl+1… Ctrl+9 and Ctrl+0: the areas in the order of the navigation; Ctrl+S: the save (or
        register) button of what is shown; Ctrl+F: its search box."""
        from PySide6.QtGui import QKeySequence, QShortcut

        for n in range(10):
            key = QShortcut(QKeySequence(f"Ctrl+{(n + 1) % 10}"), self)
            key.activated.connect(lambda n=n: self._go_to_nth(n))
        QShortcut(QKeySequence(Qt.Key.Key_F1), self).activated.connect(self.show_help)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save_shown)
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.search_shown)
        for key, button in self.nav_buttons.items():
            keys = [k for k, _t, _i, _target in NAVIGATION]
            if keys.index(key) < 10:
                button.setToolTip(_("Atajo: Ctrl+{n}").format(n=(keys.index(key) + 1) % 10))

    def show_help(self):
        """The guide of the area shown (F1 or «Ayuda»)."""
        from .help import open_help

        return open_help(self.current_area(), self)

    def _go_to_nth(self, n: int) -> None:
        keys = [k for k, _t, _i, _target in NAVIGATION]
        if n < len(keys) and self.nav_buttons[keys[n]].isVisible():
            self._nav_clicked(keys[n])

    def _shown_widgets(self) -> list[QWidget]:
        shown = self.stack.currentWidget()
        if shown is None or shown is self.loading:
            return []
        return [w for w in [shown, *shown.findChildren(QWidget)] if w.isVisibleTo(self)]

    def save_shown(self) -> bool:
        """Press the save button of the form shown (Ctrl+S). False when there is none to press."""
        for widget in self._shown_widgets():
            for name in ("save_button", "register_button"):
                button = getattr(widget, name, None)
                if isinstance(button, QPushButton) and button.isVisibleTo(self) and button.isEnabled():
                    button.click()
                    return True
        return False

    def search_shown(self) -> bool:
        """Put the cursor in the search box of what is shown (Ctrl+F)."""
        from .widgets.search_field import SearchField

        for widget in self._shown_widgets():
            if isinstance(widget, SearchField) and widget.isEnabled():
                widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                widget.selectAll()
                return True
        return False

    def _data_restored(self, text: str) -> None:
        self.db = None  # already closed by the restore
        inform(self, _("Copia restaurada"), text + "\n\n" + _("El programa se cerrará ahora; ábralo de nuevo para "
                                                                 "trabajar con los datos restaurados."))
        self.close()

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self.db is not None and self._unsaved_pages() and not self.confirm_discard(
                _("Hay cambios que no se guardaron. Si cierra el programa, se pierden.")):
            event.ignore()
            return
        self.runner.shutdown()
        if self.db is not None:
            self.db.dispose()
        super().closeEvent(event)
