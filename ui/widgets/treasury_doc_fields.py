"""What the receipt form asks for each document type: the label and hint of each field, and which
fields a sworn statement (declaración jurada) and a transport sheet (planilla de movilidad) add."""

from __future__ import annotations

EXTRA_FIELDS = {"declaracion_jurada": ("que", "donde"), "planilla_movilidad": ("origen", "destino", "motivo")}
NUMBER_HINTS = {"boleta": "serie y número, p. ej. B001-000123", "factura": "serie y número, p. ej. F001-000456",
                "ticket": "número del ticket", "recibo": "número del recibo, p. ej. R-011",
                "declaracion_jurada": "p. ej. DJ-001", "planilla_movilidad": "p. ej. PM-001"}
# document type → (label of the RUC/DNI field or None when it is not asked, its hint, label of the name, its hint)
PARTY = {
    "boleta": ("RUC del proveedor", "11 números", "Proveedor", "nombre o razón social"),
    "factura": ("RUC del proveedor", "11 números", "Proveedor", "nombre o razón social"),
    "ticket": ("RUC del proveedor", "11 números", "Proveedor", "nombre o razón social"),
    "recibo": ("DNI o RUC de quien cobra", "8 u 11 números", "Quién cobra", "nombres y apellidos"),
    "declaracion_jurada": ("DNI del vendedor", "8 números", "Vendedor", "nombres y apellidos de quien vendió"),
    "planilla_movilidad": (None, "", "Quién hizo el traslado", "nombre (puede dejarlo en blanco)"),
}
LABELS = {
    "fecha": "Fecha", "rubro": "Rubro", "tipo_documento": "Tipo de comprobante", "numero_documento": "Número",
    "que": "Qué se compró", "donde": "Dónde se compró", "origen": "Origen", "destino": "Destino",
    "motivo": "Motivo del traslado", "detalle": "Detalle", "monto": "Monto (S/)", "pago": "Pagado con",
}


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
