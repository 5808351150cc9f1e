"""Printed documents (PDF, ReportLab platypus), one module per document.

- :func:`qaliwarma.reports.dosing.build_dosing_sheet` — the cooks' "Ficha de dosificación";
- :func:`qaliwarma.reports.menu_poster.build_menu_poster` — the menu posted at the school door;
- :func:`qaliwarma.reports.compliance.build_compliance_report` — the nutrition compliance report.

ReportLab is imported only inside this package (start-up time): import the builder's module when it
is needed, not at application start.
"""
