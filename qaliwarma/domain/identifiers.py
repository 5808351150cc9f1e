"""Peruvian identifiers a committee types: school código modular, DNI, ubigeo, RUC.

Each ``check_*`` returns ``None`` when the text is valid, else a message in plain Spanish that names the
text and says what is wrong. They do not trim or repair: the caller stores exactly what was checked.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..i18n import _

RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
RUC_PREFIXES = {
    "10": "persona natural",
    "15": "persona natural no domiciliada o sin DNI",
    "17": "persona natural extranjera (antiguo)",
    "20": "persona jurídica",
}
DEPARTAMENTOS = {
    "01": "Amazonas", "02": "Áncash", "03": "Apurímac", "04": "Arequipa", "05": "Ayacucho",
    "06": "Cajamarca", "07": "Callao", "08": "Cusco", "09": "Huancavelica", "10": "Huánuco",
    "11": "Ica", "12": "Junín", "13": "La Libertad", "14": "Lambayeque", "15": "Lima", "16": "Loreto",
    "17": "Madre de Dios", "18": "Moquegua", "19": "Pasco", "20": "Piura", "21": "Puno",
    "22": "San Martín", "23": "Tacna", "24": "Tumbes", "25": "Ucayali",
}  # INEI order


def _digits_problem(what: str, s: object, n: int) -> str | None:
    """The common part: present, only digits 0-9, exactly ``n`` of them."""
    if not isinstance(s, str) or s == "":
        return _("Falta el {what}: debe tener {n} dígitos.").format(what=what, n=n)
    if s != s.strip():
        return _("El {what} «{s}» tiene espacios al inicio o al final: escriba solo los {n} dígitos.").format(what=what, s=s, n=n)
    if not re.fullmatch("[0-9]+", s):
        return _("El {what} «{s}» debe tener solo números ({n} dígitos), sin letras, guiones ni espacios.").format(what=what, s=s, n=n)
    if len(s) != n:
        return _("El {what} «{s}» tiene {len} dígitos; debe tener {n}.").format(what=what, s=s, len=len(s), n=n)
    return None


def check_codigo_modular(s: str) -> str | None:
    """Código modular of a school (MINEDU): 7 digits, e.g. "0234567"."""
    return _digits_problem(_("código modular"), s, 7)


def check_dni(s: str) -> str | None:
    """DNI (national identity document): 8 digits, leading zeros included."""
    return _digits_problem("DNI", s, 8)


def check_ubigeo(s: str) -> str | None:
    """INEI ubigeo of a district: 6 digits, departamento 01–25, provincia and distrito not 00."""
    problem = _digits_problem("ubigeo", s, 6)
    if problem:
        return problem
    if s[:2] not in DEPARTAMENTOS:
        return _("El ubigeo «{s}» empieza con {value}, que no es un departamento: debe empezar entre 01 y 25.").format(s=s, value=s[:2])
    if s[2:4] == "00" or s[4:] == "00":
        return (
            _("El ubigeo «{s}» no señala un distrito (provincia o distrito 00): use el ubigeo de 6 dígitos del distrito.").format(s=s)
        )
    return None


@lru_cache(maxsize=4096)  # a sheet names the same few providers on thousands of rows
def ruc_check_digit(first_ten: str) -> int:
    """SUNAT's modulo-11 check digit for the first ten digits of a RUC."""
    total = sum(int(d) * w for d, w in zip(first_ten, RUC_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: 0, 11: 1}.get(digit, digit)


def check_ruc(s: str) -> str | None:
    """RUC (SUNAT taxpayer number): 11 digits, prefix 10/15/17/20, SUNAT check digit."""
    problem = _digits_problem("RUC", s, 11)
    if problem:
        return problem
    if s[:2] not in RUC_PREFIXES:
        return _("El RUC «{s}» debe empezar con 10, 15, 17 o 20 (empieza con {value}).").format(s=s, value=s[:2])
    if int(s[10]) != ruc_check_digit(s[:10]):
        return _("El RUC «{s}» no es válido: el último dígito no corresponde. Revise que esté bien copiado.").format(s=s)
    return None
