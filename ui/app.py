"""``qaliwarma-gui``: the desktop application.

The window is shown first; the database is opened (and upgraded) and the reference data loaded on
the worker thread, so nothing heavy (pandas, Alembic, SQLAlchemy's ORM) is imported before it shows.

    qaliwarma-gui [--db URL] [--demo] [--lang es|en]
    qaliwarma-gui --screenshot FILE.png [--page recetas|alimentos|comite]
"""

from __future__ import annotations

import argparse
import os
import sys

SCREENSHOT_SIZE = (1366, 768)  # the screen of the laptops committees use
SCREENSHOT_TIMEOUT_MS = 60_000


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qaliwarma-gui", description="Qali Warma CAE: aplicación de escritorio.")
    p.add_argument("--db", help="base de datos: ruta de SQLite o URL postgresql+psycopg://…")
    p.add_argument("--demo", action="store_true", help="agregar el comité de demostración")
    p.add_argument("--lang", choices=["es", "en"], help="idioma (por defecto español)")
    p.add_argument("--screenshot", metavar="ARCHIVO.png", help="guardar la ventana en una imagen PNG y salir")
    from .areas import AREAS

    p.add_argument("--page", choices=list(AREAS), help="área que se muestra al abrir")
    p.add_argument("--supervisor", choices=["si", "no"],
                   help="modo supervisor: mostrar «Supervisión» (se recuerda en la carpeta de datos)")
    p.add_argument("--startup-probe", action="store_true",
                   help="(medición) imprimir la hora en que la ventana se mostró y en que se llenó la primera "
                        "página (o se pidió el PIN) y salir")
    return p


def _install_translators(app, lang: str) -> list:
    """Qt's own Spanish (file dialogs: «Ver en», «Ficheros de tipo», «Cancelar»…). Looked for where Qt
    says its translations are, then beside PySide6 (an installed or frozen copy may move them). Returns
    the translators installed."""
    from pathlib import Path

    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    locale = QLocale(QLocale.Language.English if lang == "en" else QLocale.Language.Spanish,
                     QLocale.Country.UnitedStates if lang == "en" else QLocale.Country.Peru)
    QLocale.setDefault(locale)
    if lang == "en":
        return []
    import PySide6

    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
               str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations"),
               str(Path(PySide6.__file__).resolve().parent / "translations")]
    installed = [_qt_gaps(app)]  # installed first: asked only for what Qt's own Spanish does not have
    app.installTranslator(installed[0])
    for catalogue in ("qtbase",):
        for folder in folders:
            translator = QTranslator(app)
            if translator.load(locale, catalogue, "_", folder):
                app.installTranslator(translator)
                installed.append(translator)
                break
    return installed


# Qt's own Spanish (qtbase_es) leaves these in English: the folder dialog of «Copia en otra carpeta» said
# «Look in:», «Files of type:» and «Folder» among Spanish words (Windows shows its own dialog, in Spanish)
QT_GAPS = {("QFileDialog", "&Look in:"): "&Ver en:", ("QFileDialog", "Files of &type:"): "Archivos de &tipo:",
           ("QAbstractFileIconProvider", "Folder"): "Carpeta", ("QAbstractFileIconProvider", "File"): "Archivo"}


def _qt_gaps(app):
    from PySide6.QtCore import QTranslator

    class QtGaps(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002 - Qt's signature
            return QT_GAPS.get((context, source), "")

        def isEmpty(self) -> bool:  # noqa: N802 - Qt naming
            return False

    return QtGaps(app)


class _Screenshot:
    """Save the window once the data is loaded and every page has finished filling itself."""

    def __init__(self, app, window, path: str) -> None:
        from PySide6.QtCore import QTimer

        self.app, self.window, self.path = app, window, path
        self.ok = True
        self._quiet = 0
        self._poll = QTimer()
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._check)
        window.loaded.connect(self._loaded)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, self._save)
        # a committee whose members sign in opens on the sign-in dialog (no QALIWARMA_MEMBER/PIN given):
        # that dialog is what the user sees first, so it is what is saved, at once, not after the time-out
        self._ask = QTimer()
        self._ask.setInterval(100)
        self._ask.timeout.connect(self._check_dialog)
        self._ask.start()

    def _loaded(self, ok: bool) -> None:
        self._ask.stop()
        self.ok = ok
        self._poll.start()

    def _check_dialog(self) -> None:
        from PySide6.QtWidgets import QApplication, QProgressDialog

        dialog = QApplication.activeModalWidget()
        if dialog is not None and not isinstance(dialog, QProgressDialog) and dialog.isVisible():
            self._ask.stop()
            self._save(dialog)

    def _check(self) -> None:
        self._quiet = 0 if self.window.runner.is_busy() else self._quiet + 1
        if self._quiet >= 3:
            self._save()

    def _save(self, widget=None) -> None:
        self._poll.stop()
        self._ask.stop()
        saved = (widget or self.window).grab().save(self.path, "PNG")
        if not saved and sys.stderr is not None:  # a Windows GUI program may have no stderr
            print(f"No se pudo guardar la imagen en {self.path}.", file=sys.stderr)
        self.app.exit(0 if saved and self.ok else 1)


def main(argv: list[str] | None = None) -> int:
    from . import first_page

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [first_page.FLAG]:  # the second process that reads the first page (ui.first_page)
        return first_page.main(argv[1:])
    from qaliwarma import i18n as core_i18n

    core_i18n.localise_argparse()  # «uso:», «opciones:» (the window's language is chosen below)
    args = build_parser().parse_args(argv)  # arguments it does not take: said, and nothing else is done
    from qaliwarma.paths import database_url

    url = database_url(args.db)
    # the first page is read by a second process, on the other core, while this one builds the window
    preview = first_page.spawn(argv) if first_page.wanted(args.page, url) else None
    from qaliwarma import codecache, deferred

    codecache.install()  # every dataclass defined from here on takes its compiled methods from the table
    deferred.install()  # before SQLAlchemy is imported: asyncio and importlib.metadata only when used
    if args.screenshot or args.startup_probe:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import gc

    from . import i18n
    from .startup import begin

    lang = i18n.install(args.lang)
    # The cyclic collector stays off until the task runner collects on the GUI thread (ui.tasks): a collection
    # on the loading thread could destroy Qt objects away from the GUI thread.
    gc.disable()

    from PySide6.QtWidgets import QApplication

    from .qt_setup import lighten_imports

    lighten_imports()  # before the window, SQLAlchemy and the services are imported
    from . import theme, wheel_guard
    from .main_window import MainWindow
    from .tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Qali Warma CAE")
    app.setApplicationDisplayName("Qali Warma CAE")
    _install_translators(app, lang)
    theme.apply(app)
    wheel_guard.install(app)  # the wheel scrolls the page; it changes only the control being worked in

    if args.supervisor:
        from .settings import set_value

        set_value("modo/supervisor", args.supervisor == "si")

    runner = TaskRunner(app)
    window = MainWindow(runner)
    shot = None
    if args.screenshot:
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        shot = _Screenshot(app, window, args.screenshot)
    elif args.startup_probe:
        import time

        from PySide6.QtCore import QTimer

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        app.processEvents()  # the window is painted: this is what the user sees first
        print(f"window-shown {time.time():.6f}", flush=True)

        marked = []

        def _filled() -> None:  # the first page's own query has come back and filled it: painted, then marked
            if marked:
                return
            marked.append(True)
            app.processEvents()
            print(f"data-ready {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)

        def _asked(dialog) -> None:  # no QALIWARMA_MEMBER/PIN: the sign-in is what the user sees first
            if marked:
                return
            marked.append(True)
            app.processEvents()
            print(f"sign-in-shown {time.time():.6f}", flush=True)
            dialog.reject()  # the window then closes, as when a user chooses «Salir»

        def _failed(ok: bool) -> None:
            if not ok:
                QTimer.singleShot(0, app.quit if marked else lambda: app.exit(1))

        window.first_page_filled.connect(_filled)
        window.sign_in_asked.connect(_asked)
        window.loaded.connect(_failed)
    else:
        window.fit_to_screen()
    # the database is opened (SQLAlchemy imported, the reference data checked) on a thread of its own once the
    # window is shown (started earlier, it only made the window show later: both want the interpreter)
    early = begin(url, demo=args.demo) if preview is None else None
    window.start(url, demo=args.demo, page=args.page, early=early, preview=preview)
    code = app.exec()
    first_page.stop(preview)  # closed before it answered: it opens nothing more for nobody
    runner.shutdown()
    if window.db is not None:
        window.db.dispose()
    del shot
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
