"""The command line, ``qaliwarma`` (contract: CLI.md). Every command calls the core services.

Exit codes: 0 success; 1 a check found a problem; 2 bad usage or input refused. Never a traceback for
a user's mistake: domain errors print their Spanish message on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .domain.levels import LEVELS, MEALS, REGIONS
from .domain.nutrients import NUTRIENTS, format_amount
from .errors import QaliwarmaError
from .i18n import _, ngettext


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: exit 2 with a Spanish lead
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: uso incorrecto: {message}").format(prog=self.prog, message=message) + "\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="qaliwarma", description=_("Qali Warma CAE: comité de alimentación escolar."))
    p.add_argument("--db", help=_("base de datos: ruta de SQLite o URL postgresql+psycopg://…"))
    p.add_argument("--lang", choices=["es", "en"], default=None,
                   help=_("idioma de los mensajes, de los documentos y de la ayuda (por defecto QALIWARMA_LANG o es)"))
    p.add_argument("--committee", help=_("código modular del comité (bases con varios comités)"))
    p.add_argument("--member", metavar="DNI", help=_("firmar como este integrante del comité (o QALIWARMA_MEMBER); "
                                                     "el PIN se toma de QALIWARMA_PIN o se pregunta"))
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("init", help=_("crear o actualizar la base de datos y cargar los datos de referencia"))
    s.add_argument("--demo", action="store_true", help=_("agregar un comité de demostración"))
    s.add_argument("--json", action="store_true")

    foods = sub.add_parser("foods", help=_("tabla de composición de alimentos")).add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    s = foods.add_parser("search", help=_("buscar alimentos por nombre"))
    s.add_argument("text")
    s.add_argument("--json", action="store_true")
    s = foods.add_parser("import", help=_("reemplazar la tabla por otra edición del mismo formato"))
    s.add_argument("file", type=Path)
    s.add_argument("--edition", help=_("edición, p. ej. «11.ª edición, 2025»"))
    s.add_argument("--citation", help=_("cita bibliográfica de la edición"))
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("analyse", aliases=["analyze"], help=_("nutrientes de una lista CÓDIGO:GRAMOS"))
    s.add_argument("items", nargs="+")
    s.add_argument("--json", action="store_true")

    rec = sub.add_parser("recipes", help=_("recetario regional")).add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    s = rec.add_parser("list")
    s.add_argument("--region", choices=REGIONS)
    s.add_argument("--meal", choices=MEALS)
    s.add_argument("--json", action="store_true")
    s = rec.add_parser("show")
    s.add_argument("id")
    s.add_argument("--level", choices=LEVELS, required=True)
    s.add_argument("--standard", help=_("estándar nutricional para comparar (por defecto, el del programa)"))
    s.add_argument("--json", action="store_true")
    s = rec.add_parser("check")
    s.add_argument("paths", nargs="*", type=Path)
    s = rec.add_parser("add", help=_("agregar (o reemplazar) preparaciones propias del comité desde archivos"))
    s.add_argument("files", nargs="+", type=Path)
    s.add_argument("--json", action="store_true")
    s = rec.add_parser("local-name", help=_("nombre de una preparación en la lengua de la comunidad (sale en el "
                                            "menú de la puerta, debajo del nombre en castellano)"))
    s.add_argument("id", help=_("id de la preparación (vea «qaliwarma recipes list»)"))
    s.add_argument("name", nargs="?", help=_("su nombre en la lengua de la comunidad"))
    s.add_argument("--language", help=_("la lengua de la comunidad, p. ej. «quechua» (se guarda para el comité)"))
    s.add_argument("--clear", action="store_true", help=_("quitar el nombre en la lengua de la comunidad"))
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = rec.add_parser("local-names", help=_("preparaciones con nombre en la lengua de la comunidad"))
    s.add_argument("--json", action="store_true")

    from .cli_menu import add_parsers as add_menu_parsers

    add_menu_parsers(sub, _Parser)
    from .cli_stock import add_parsers as add_stock_parsers

    add_stock_parsers(sub, _Parser)
    from .cli_report import add_parsers as add_report_parsers

    add_report_parsers(sub, _Parser)
    from .cli_treasury import add_parsers as add_treasury_parsers

    add_treasury_parsers(sub, _Parser)
    from .cli_month import add_parsers as add_month_parsers

    add_month_parsers(sub, _Parser)
    from .cli_calendar import add_parsers as add_calendar_parsers

    add_calendar_parsers(sub, _Parser)

    from .cli_people import add_parsers as add_people_parsers

    add_people_parsers(sub, _Parser)

    from .cli_committee import add_parsers as add_committee_parsers

    add_committee_parsers(sub, _Parser)

    s = sub.add_parser("template", help=_("plantilla XLSX para importar: encabezados, una fila de ejemplo y su "
                                          "explicación"))
    s.add_argument("kind", choices=["acta", "raciones", "gastos", "plan"])
    s.add_argument("file", type=Path, help=_("archivo .xlsx que se escribe"))

    s = sub.add_parser("verify", help=_("verificar la cadena del diario (de la base de datos o de un paquete)"))
    s.add_argument("bundle", nargs="?", type=Path, help=_("paquete .zip exportado por un comité"))
    s.add_argument("--code", help=_("código de verificación impreso en el informe mensual (comprobar contra él)"))
    s.add_argument("--anchor", type=Path, metavar="PAQUETE",
                   help=_("paquete exportado antes: la base debe contener su diario sin cambios"))
    s.add_argument("--json", action="store_true")
    return p


def _emit(args, doc, text: str) -> None:
    if getattr(args, "json", False):
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(text)


_opened: list = []  # databases this command opened: closed when it ends (main), even when called in-process


def _db(args):
    from .paths import database_url
    from .persistence.engine import open_database

    db = open_database(database_url(args.db))
    _opened.append(db)
    return db


def _ready_db(args):
    """An open database with the reference data loaded (first use creates it)."""
    from .services import catalog, recipes

    db = _db(args)
    if catalog.active_source(db) is not None:
        return db
    with db.atomic() as adb:  # the reference data loads whole or not at all (a killed run leaves none)
        if catalog.ensure_table(adb):
            recipes.sync_bank(adb)
            from .services import standards

            standards.sync_shipped(adb)
    return db


def _nutrient_lines(nutrients: dict, incomplete: dict, lang: str) -> list[str]:
    lines = []
    for n in NUTRIENTS:
        label = n.label_en if lang == "en" else n.label_es
        value = format_amount(n.key, nutrients.get(n.key), lang=lang)
        lacking = incomplete.get(n.key)
        note = "   " + _("incompleto: sin dato en {codes}").format(codes=", ".join(lacking)) if lacking else ""
        lines.append(f"  {label:<30} {value:>14}{note}")
    return lines


def cmd_init(args) -> int:
    from .services.setup import initialise

    db = _db(args)
    result = initialise(db, demo=args.demo)
    doc = {
        "database": db.url if db.is_sqlite else db.engine.url.render_as_string(hide_password=True),
        "foods": result.food_count,
        "foods_loaded": result.foods_loaded,
        "recipes": vars(result.recipes) if hasattr(result.recipes, "__dict__") else result.recipes.__dict__,
        "demo_created": result.demo_created,
    }
    r = result.recipes
    text = "\n".join([
        _("Base de datos lista: {database}").format(database=doc["database"]),
        (_("Tabla de alimentos: {n} alimentos (cargada ahora)") if result.foods_loaded else
         _("Tabla de alimentos: {n} alimentos (ya estaba cargada)")).format(n=result.food_count),
        _("Recetario regional: {added} nuevas, {updated} actualizadas, {removed} retiradas, {unchanged} sin "
          "cambios").format(added=r.added, updated=r.updated, removed=r.removed, unchanged=r.unchanged),
        *([_("{n} receta(s) que el recetario ya no trae se guardan porque un menú las usa.").format(n=r.kept)]
          if r.kept else []),
        *([_("Comité de demostración creado.")] if result.demo_created else []),
    ])
    _emit(args, doc, text)
    return 0


def cmd_foods(args) -> int:
    from .services import catalog

    if args.action == "search":
        db = _ready_db(args)
        found = catalog.search(db, args.text)
        doc = [{"code": f.code, "name": f.name, "group": f.group_code, "group_name": f.group_name} for f in found]
        text = "\n".join(f"{f.code:<6} {f.name}  ({f.group_name})" for f in found) or (
            _("Ningún alimento contiene «{text}».").format(text=args.text))
        _emit(args, doc, text)
        return 0
    db = _ready_db(args)
    info = catalog.import_table(db, args.file, edition=args.edition, citation=args.citation)
    doc = {"foods": info.food_count, "edition": info.edition, "citation": info.citation, "file": info.file_name}
    _emit(args, doc, _("Tabla reemplazada: {n} alimentos de {file} ({edition}).").format(
        n=info.food_count, file=info.file_name, edition=info.edition))
    return 0


def cmd_analyse(args) -> int:
    from .services import analysis

    items = analysis.parse_items(args.items)
    db = _ready_db(args)
    result = analysis.analyse_items(db, items)
    lines = [_("Nutrientes de: {items}").format(items=" + ".join(f"{c} {g:g} g" for c, g in items))]
    lines += _nutrient_lines(result.nutrients, result.incomplete, args.lang)
    _emit(args, result.to_json(), "\n".join(lines))
    return 0


def cmd_recipes(args) -> int:
    from .services import recipes

    if args.action == "check":
        from .io.recipe_files import bank_files, check_files, expand_paths
        from .paths import recipes_dir

        root = recipes_dir()
        files = expand_paths(args.paths) if args.paths else bank_files(root)
        try:
            from .services import catalog

            names = catalog.food_names(_ready_db(args))
        except QaliwarmaError:
            names = {f.code: f.name for f in __import__("qaliwarma.io.tpca", fromlist=["read_table"]).read_table(
                __import__("qaliwarma.paths", fromlist=["food_table_file"]).food_table_file()).foods}
        codes = set(names)
        checked, problems = check_files(files, codes, base=Path.cwd())
        for problem in problems:
            print(problem)
        if problems:
            print(_("{n} problema(s) en {files} archivo(s).").format(n=len(problems), files=len(files)),
                  file=sys.stderr)
            return 1
        from .io.recipe_files import cooked_warnings, portion_warnings

        cwd = Path.cwd()
        warnings = []
        for f in files:
            display = str(f.relative_to(cwd)) if f.is_absolute() and f.is_relative_to(cwd) else str(f)
            warnings += cooked_warnings(f, names, display=display) + portion_warnings(f, display=display)
        for warning in warnings:
            print(warning)
        revised = ngettext(_("{n} preparación revisada"), _("{n} preparaciones revisadas"), len(checked)).format(
            n=len(checked))  # «1 preparaciones revisadas»
        if warnings:
            print(revised + ": " + ngettext(_("sin problemas, con {w} aviso."), _("sin problemas, con {w} avisos."),
                                            len(warnings)).format(w=len(warnings)))
            return 0
        print(revised + ": " + _("sin problemas."))
        return 0
    db = _ready_db(args)
    if args.action == "add":
        return _recipes_add(args, db)
    if args.action in ("local-name", "local-names"):
        return _recipes_local_name(args, db)
    if args.action == "list":
        from .services import committee as committee_service

        info = committee_service.current(db, args.committee)
        found = recipes.list_recipes(db, region=args.region, meal=args.meal, committee_id=info.id if info else None)
        doc = [{"id": r.id, "name": r.name, "region": r.region, "meal": r.meal, "levels": list(r.levels),
                "own": r.committee_own} for r in found]
        text = "\n".join(f"{r.id:<40} {r.region:<7} {r.meal:<9} {r.name}" for r in found)
        _emit(args, doc, text or _("No hay preparaciones con esos filtros."))
        return 0
    from .services import analysis

    recipe = recipes.get_recipe(db, args.id)
    if args.level not in recipe.levels:
        from .errors import InvalidInput

        raise InvalidInput(_("La preparación «{id}» no tiene dosificación para {level} (niveles: {levels}).").format(
            id=recipe.id, level=args.level, levels=", ".join(recipe.levels)))
    result = analysis.analyse_recipe(db, recipe, args.level)
    names = {i.code: i.name for i in result.items}
    ingredients = [
        {"code": ing.code, "name": names.get(ing.code, ing.label), "grams": float(ing.doses[args.level].grams),
         "edible_factor": float(ing.edible_factor), "edible_grams": ing.edible_grams(args.level),
         "measure": ing.doses[args.level].measure}
        for ing in recipe.ingredients if args.level in ing.doses
    ]
    doc = {"id": recipe.id, "name": recipe.name, "region": recipe.region, "meal": recipe.meal,
           "level": args.level, "ingredients": ingredients, **result.to_json()}
    lines = [_("{name} — {meal}, {level} (por niño)").format(name=recipe.name, meal=recipe.meal, level=args.level)]
    for ing in ingredients:
        gross = f"{ing['grams']:g} g"
        lines.append(f"  {ing['code']:<6} {ing['name'][:42]:<42} {gross:>8}  {ing['measure']}")
    lines.append(_("Aporte por niño:"))
    lines += _nutrient_lines(result.nutrients, result.incomplete, args.lang)
    lines += _recipe_targets(args, db, recipe, doc)
    _emit(args, doc, "\n".join(lines))
    return 0


def _recipe_targets(args, db, recipe, doc: dict) -> list[str]:
    """The preparation against the standard's target for its meal and level (added to ``doc``)."""
    from .services import committee as committee_service
    from .services import compliance, standards

    info = committee_service.current(db, args.committee)
    standard = standards.get_standard(db, args.standard) if args.standard else standards.get_standard(db)
    checks = compliance.judge_recipe(db, recipe, args.level, standard,
                                     info.form.quintile if info else None, info.form.region if info else None)
    doc["standard"] = standard.id
    if checks is None:
        doc["targets"] = []
        return [_("El estándar «{name}» no tiene meta para {meal} de {level}.").format(
            name=standard.name, meal=recipe.meal, level=args.level)]
    doc["targets"] = [{"metric": m.metric, "label": m.label, "unit": m.unit,
                       "value": None if m.value is None else round(m.value, 4), "min": m.low, "max": m.high,
                       "status": m.status, "estimated": bool(m.estimated), "message": m.message}
                      for m in checks]
    words = {"ok": _("cumple"), "low": _("BAJO"), "high": _("ALTO"), "unknown": _("sin datos")}
    lines = [_("Frente al estándar «{name}» ({id}):").format(name=standard.name, id=standard.id)]
    target_word = _("meta")
    for m in checks:
        value = "—" if m.value is None else f"{m.value:,.1f} {m.unit}"
        if m.low is not None and m.high is not None:
            goal = f"{m.low:g}–{m.high:g} {m.unit}"
        elif m.low is not None:
            goal = f"≥ {m.low:g} {m.unit}"
        else:
            goal = f"≤ {m.high:g} {m.unit}"
        word = words.get(m.status, m.status)
        if m.status == "ok" and m.value is not None and m.low is not None and m.value < m.low:
            word = _("aviso")  # below a minimum that the standard treats as a notice (lunch calcium)
        lines.append(f"  {m.label:<30} {value:>14}  {target_word} {goal:<16} {word}")
    lines += [f"  · {m.message}" for m in checks if m.message]
    return lines


def _recipes_add(args, db) -> int:
    """Committees share preparations as files: add them as the committee's own (all or none)."""
    from .errors import InvalidInput
    from .io.recipe_files import check_files
    from .services import committee, recipes

    info = committee.require(db, args.committee)
    parsed, problems = check_files(args.files, recipes.known_codes(db))
    if problems:
        raise InvalidInput(_("Los archivos tienen errores; no se agregó nada."), problems)
    bank = {r.id for r in recipes.list_recipes(db)}
    clash = [r.id for r in parsed if r.id in bank]
    if clash:
        raise InvalidInput(_("Esos id ya son del recetario regional; cámbielos: {ids}").format(ids=", ".join(clash)))
    saved = [recipes.save_own_recipe(db, info.id, r) for r in parsed]
    _emit(args, [{"id": r.id, "name": r.name} for r in saved],
          "\n".join(_("Preparación propia guardada: {id} ({name})").format(id=r.id, name=r.name) for r in saved))
    return 0


def _recipes_local_name(args, db) -> int:
    """A preparation's name in the community's language, for the door poster (services/local_names.py)."""
    import getpass

    from .errors import InvalidInput
    from .services import committee, local_names

    info = committee.require(db, args.committee)
    if args.action == "local-names":
        found = local_names.list_local_names(db, info.id)
    else:
        user = args.user or getpass.getuser()
        if args.clear and args.name is not None:
            raise InvalidInput(_("Indique un nombre o --clear, no los dos."))
        if args.clear:
            found = local_names.clear_local_name(db, info.id, args.id, user=user)
        elif args.name is not None and args.name.strip():
            found = local_names.set_local_name(db, info.id, args.id, args.name, user=user, language=args.language)
        elif args.name is None and args.language:
            local_names.get_recipe_name(db, info.id, args.id)
            found = local_names.set_language(db, info.id, args.language, user=user)
        else:
            raise InvalidInput(_("Falta el nombre en la lengua de la comunidad (o --clear para quitarlo)."))
    doc = {"language": found.language,
           "names": [{"id": n.recipe_id, "name": n.spanish, "local_name": n.name} for n in found.names]}
    lines = [_("Lengua de la comunidad: {language}").format(language=found.language or _("(sin indicar)"))]
    lines += [f"{n.recipe_id:<40} {n.spanish} — {n.name}" for n in found.names]
    if not found.names:
        lines.append(_("Ninguna preparación tiene todavía nombre en la lengua de la comunidad."))
    _emit(args, doc, "\n".join(lines))
    return 0


def cmd_template(args) -> int:
    from .io.templates import write_template

    path = write_template(args.kind, args.file)
    print(_("Plantilla «{kind}» guardada en {path}: la hoja «Explicación» dice qué va en cada columna.").format(
        kind=args.kind, path=path))
    return 0


def cmd_verify(args) -> int:
    """The chain, every projection against it (services/integrity.py) and, with --code, a printed code."""
    if args.bundle is not None:
        from .cli_month import run_verify_bundle

        return run_verify_bundle(args, _emit)
    from .services import integrity

    if args.code:
        integrity.normalise_code(args.code)  # a mistyped code is refused before opening anything
    db = _db(args)
    results = integrity.check_database(db)
    doc: list | dict = [r.as_dict() for r in results]
    lines = [line for r in results for line in r.lines()] or [_("No hay comités.")]
    ok = all(r.ok for r in results)
    if args.code:
        match = integrity.match_code(db, args.code)
        doc = {"committees": doc, "code": {"ok": match.ok, "committee": match.committee, "month": match.month,
                                           "message": match.message}}
        lines.append((_("Código: ") if match.ok else _("CÓDIGO NO COINCIDE: ")) + match.message)
        ok = ok and match.ok
    if args.anchor:
        anchored = integrity.check_anchor(db, args.anchor)
        doc = {"committees": doc} if isinstance(doc, list) else doc
        doc["anchor"] = {"ok": anchored.ok, "committee": anchored.committee, "month": anchored.month,
                         "message": anchored.message}
        lines.append((_("Ancla: ") if anchored.ok else _("ANCLA NO COINCIDE: ")) + anchored.message)
        ok = ok and anchored.ok
    _emit(args, doc, "\n".join(lines))
    return 0 if ok else 1


def cmd_menu(args) -> int:
    from .cli_menu import run

    return run(args, _emit, _ready_db)


def cmd_stock(args) -> int:
    from . import cli_stock

    runner = {"receive": cli_stock.run_receive, "serve": cli_stock.run_serve, "stock": cli_stock.run_stock,
              "incident": cli_stock.run_incident}
    return runner[args.command](args, _emit, _ready_db)


def cmd_report(args) -> int:
    from .cli_report import run

    return run(args, _emit, _ready_db)


def cmd_treasury(args) -> int:
    from .cli_treasury import run

    return run(args, _emit, _ready_db)


def cmd_month(args) -> int:
    from . import cli_month

    if args.command == "period":
        return cli_month.run_period(args, _emit, _ready_db)
    if args.command == "export":
        return cli_month.run_export(args, _emit, _ready_db)
    return cli_month.run_supervise(args, _emit, _db)


def cmd_calendar(args) -> int:
    from .cli_calendar import run

    return run(args, _emit, _db)


def cmd_people(args) -> int:
    from . import cli_people

    if args.command == "restore":
        return cli_people.run_restore(args, _emit, _db)
    runner = {"backup": cli_people.run_backup, "member": cli_people.run_member, "handover": cli_people.run_handover,
              "answer": cli_people.run_answer}
    return runner[args.command](args, _emit, _ready_db)


COMMANDS = {"template": cmd_template, "calendar": cmd_calendar, "period": cmd_month, "export": cmd_month, "supervise": cmd_month, "treasury": cmd_treasury, "report": cmd_report, "receive": cmd_stock, "serve": cmd_stock, "stock": cmd_stock, "menu": cmd_menu, "init": cmd_init, "foods": cmd_foods, "analyse": cmd_analyse, "analyze": cmd_analyse,
            "recipes": cmd_recipes, "verify": cmd_verify}
COMMANDS["incident"] = cmd_stock


def cmd_committee(args) -> int:
    from .cli_committee import run

    return run(args, _emit, _db)


COMMANDS["committee"] = cmd_committee
COMMANDS.update({"backup": cmd_people, "restore": cmd_people, "member": cmd_people, "handover": cmd_people,
                 "answer": cmd_people})


def _asked_language(argv: list[str]) -> str | None:
    """``--lang`` read before the parser is built, so that the help and argparse's own messages are in it."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def main(argv: list[str] | None = None) -> int:
    from . import codecache, deferred

    codecache.install()  # before the services' dataclasses are defined (qaliwarma/codecache.py)
    deferred.install()  # before SQLAlchemy is imported: asyncio and importlib.metadata only when used
    from . import i18n

    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.install(_asked_language(argv) if _asked_language(argv) in i18n.LANGUAGES else None)
    i18n.localise_argparse()  # «uso:», «opciones:» and argparse's errors in that language
    args = build_parser().parse_args(argv)
    args.lang = i18n.install(args.lang)
    try:
        from .cli_people import enforce

        enforce(args, _db)  # a command that records is signed by a member whose role may (issue 13)
        return COMMANDS[args.command](args)
    except QaliwarmaError as error:
        print(_("Error: {message}").format(message=error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(_("Interrumpido."), file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` or a closed pager
        sys.stderr.close()
        return 0
    finally:
        while _opened:
            _opened.pop().dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
