"""«Acerca de»: the version, where the committee's data is (with a button to open the folder), the
database, and the food table, standard and recipe bank in use. Read on the worker (services.about)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from qaliwarma.domain.levels import REGION_LABELS

from ..i18n import N_, _
from ..theme import set_role

INSTALLED_AS = {
    "frozen": N_("programa instalado"),
    "package": N_("paquete de Python"),
    "checkout": N_("código fuente"),
}


VALUE_WIDTH = 540  # a fixed width, so that wrapped texts get the height they need


def _value() -> QLabel:
    label = QLabel("…")
    label.setWordWrap(True)
    label.setFixedWidth(VALUE_WIDTH)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AboutDialog(QDialog):
    def __init__(self, parent, runner, db, committee_id: int | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Acerca de Qali Warma CAE"))
        self.info = None

        title_row = QHBoxLayout()
        from qaliwarma.paths import resources_dir

        icon = QLabel()
        pixmap = QPixmap(str(resources_dir() / "icons" / "qaliwarma.png"))
        if not pixmap.isNull():
            icon.setPixmap(pixmap.scaled(64, 64, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))
        title = QLabel(_("Qali Warma CAE"))
        set_role(title, "title")
        self.version = QLabel("…")
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.version)
        title_row.addWidget(icon)
        title_row.addLayout(heading, 1)

        self.program = _value()
        self.data_folder = _value()
        self.open_button = QPushButton(_("Abrir la carpeta de datos"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_data_folder)
        self.data_hint = QLabel(_("Para llevar los datos a otra computadora, cierre el programa y copie esta "
                                  "carpeta entera a la misma ubicación en la otra computadora."))
        self.data_hint.setWordWrap(True)
        self.data_hint.setFixedWidth(VALUE_WIDTH)
        set_role(self.data_hint, "muted")
        self.database = _value()
        self.food_table = _value()
        self.standard = _value()
        self.recipes = _value()
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        self.message.hide()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow(_("Programa:"), self.program)
        form.addRow(_("Carpeta de datos:"), self.data_folder)
        form.addRow("", self.open_button)
        form.addRow("", self.data_hint)
        form.addRow(_("Base de datos:"), self.database)
        form.addRow(_("Tabla de alimentos:"), self.food_table)
        form.addRow(_("Estándar nutricional:"), self.standard)
        form.addRow(_("Recetario:"), self.recipes)

        buttons = QDialogButtonBox()
        buttons.addButton(_("Cerrar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(title_row)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        from qaliwarma.services.about import about

        self.adjustSize()
        runner.run(lambda: about(db, committee_id), self.show_info, on_error=self._failed, owner=self)

    def show_info(self, info) -> None:
        self.info = info
        self.version.setText(_("Versión {version} ({how})").format(
            version=info.version, how=_(INSTALLED_AS.get(info.installed_as, info.installed_as))))
        self.program.setText(info.program_folder)
        self.data_folder.setText(info.data_folder)
        self.open_button.setEnabled(True)
        self.database.setText(_("SQLite: {path}").format(path=info.database) if info.database_is_file
                              else info.database)
        source = info.food_table
        self.food_table.setText(
            _("{name}, {edition} ({n} alimentos)").format(name=source.name, edition=source.edition,
                                                          n=source.food_count)
            if source else _("No hay tabla de alimentos cargada."))
        self.food_table.setToolTip(source.citation if source else "")
        self.standard.setText(_("{standard}. Hay {n} estándares para elegir en «Cumplimiento» ({own} propios del "
                                "comité).").format(standard=info.standard_name, n=info.standards_available,
                                                   own=info.standards_own))
        self.standard.setToolTip(info.standard_source)
        regions = ", ".join(f"{_(REGION_LABELS.get(region, region))} {n}" for region, n in info.bank_by_region)
        total = sum(n for _region, n in info.bank_by_region)
        self.recipes.setText(_("{total} preparaciones del recetario ({regions}); {own} propias del comité.\n"
                               "Carpeta: {folder}").format(total=total, regions=regions, own=info.own_recipes,
                                                           folder=info.recipe_bank_folder))
        self._fit()

    def _fit(self) -> None:
        """Grow to the texts (longer than the «…» the window was first sized for)."""
        self.layout().activate()
        self.resize(self.width(), self.layout().totalHeightForWidth(self.width()))

    def _failed(self, error: Exception) -> None:
        self.message.setText(_("No se pudo leer la información: {error}").format(error=error))
        self.message.show()
        self._fit()

    def _open_data_folder(self) -> None:
        if self.info is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(self.info.data_folder)):
            self.message.setText(_("No se pudo abrir la carpeta. Búsquela en: {folder}").format(
                folder=self.info.data_folder))
            self.message.show()
            self._fit()
