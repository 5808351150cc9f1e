"""Spanish string literals of the core that are not wrapped in _() / ngettext / N_ (docstrings left out).

    python -m tools.spanish_literals qaliwarma/services qaliwarma/domain qaliwarma/io qaliwarma/reports

Every sentence a user reads goes through the catalogue (``python -m tests.ui.test_i18n``). What this
still lists should be data, not messages: journal texts (hashed, kept in Spanish), demo data, names and
codes compared elsewhere, and module-level labels marked with N_() where they are defined."""
import ast
import re
import sys
from pathlib import Path

WORDS = re.compile(r"[áéíóúñ¿¡«»]|\b(el|la|los|las|del|de|que|no|una|un|es|está|debe|falta|con|para|por|sin|hay|mes|fecha|fila|columna|archivo|producto|comité|escriba|elija|use|indique|se|mal|en|al|su|sus|son|ya|fue|cada|pero|nada|lote|menú|día|días|niños|raciones|alimentos|comida|nivel|meta|tabla|monto|rubro|gasto|acta|almacén|diario|asiento|paquete)\b", re.I)
WRAP = {"_", "ngettext", "N_"}

def docstrings(tree):
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids

def scan(path):
    tree = ast.parse(path.read_text())
    skip = docstrings(tree)
    wrapped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WRAP:
            for sub in ast.walk(node):
                wrapped.add(id(sub))
        # logging / raise SystemExit of non-user? keep
    out = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in wrapped:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            for v in node.values:
                wrapped.add(id(v))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if len(text) < 3 or not WORDS.search(text) or " " not in text.strip() and not re.search(r"[áéíóúñ]", text):
            continue
        out.append((node.lineno, text))
    return out

total = 0
for arg in sys.argv[1:]:
    for path in sorted(Path(arg).rglob("*.py")) if Path(arg).is_dir() else [Path(arg)]:
        hits = scan(path)
        total += len(hits)
        for line, text in hits:
            print(f"{path}:{line}: {text[:110]!r}")
print(total, "literals", file=sys.stderr)
