"""The window's areas, without Qt: the command line (``--page``) reads them before Qt is imported."""

from __future__ import annotations

# Navigation: (key, label, icon, "module:Class" of an AppContext page, or None for the built-in ones).
NAVIGATION = (
    ("inicio", "Inicio", "SP_DesktopIcon", "ui.pages.home:HomePage"),
    ("alimentos_recetas", "Alimentos y recetas", "SP_FileDialogContentsView", None),
    ("menu", "Menú", "SP_FileDialogDetailedView", "ui.pages.menu:MenuPage"),
    ("cumplimiento", "Cumplimiento", "SP_DialogApplyButton", "ui.pages.compliance:CompliancePage"),
    ("recepcion", "Recepción", "SP_ArrowDown", "ui.pages.reception:ReceptionPage"),
    ("almacen", "Almacén", "SP_DriveHDIcon", "ui.pages.store:StorePage"),
    ("raciones", "Raciones", "SP_DialogYesButton", "ui.pages.rations:RationsPage"),
    ("incidencias", "Incidencias", "SP_MessageBoxWarning", "ui.pages.incidents:IncidentsPage"),
    ("tesoreria", "Tesorería", "SP_DialogSaveButton", "ui.pages.treasury:TreasuryPage"),
    ("cierre", "Cierre de mes", "SP_DialogOkButton", "ui.pages.month_end:MonthEndPage"),
    ("supervision", "Supervisión", "SP_FileDialogListView", "ui.pages.supervision:SupervisionPage"),
    ("personas", "Personas y copias", "SP_DialogResetButton", "ui.pages.people:PeoplePage"),
    ("calendario", "Calendario escolar", "SP_FileDialogInfoView", "ui.pages.calendar:CalendarPage"),
    ("comite", "Comité", "SP_DirHomeIcon", None),
)
AREAS = ("recetas", "alimentos", "comite") + tuple(k for k, _, _, target in NAVIGATION if target)
# The areas where something is recorded, and the action (qaliwarma.domain.people.ACTIONS) that records there: a
# member whose role may not is told so when the area opens, before filling a form the journal would refuse.
AREA_ACTIONS = {"recepcion": "almacen", "almacen": "almacen", "raciones": "almacen", "tesoreria": "dinero",
                "cierre": "cierre", "comite": "comite"}
