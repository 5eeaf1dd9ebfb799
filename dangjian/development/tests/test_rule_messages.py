"""The rules engine's user-facing strings are marked for translation and translated.

The engine imports no Django, so it marks its English strings with its own ``gettext_noop``
(``rules/i18n.py``), which ``makemessages`` extracts; the Django layer translates them when it
shows them (``services.describe``: ``gettext(message).format(**values)``). These tests read the
sources, so a refusal written without the marker, or a marked string left untranslated or
translated with a different set of ``{placeholders}``, fails here rather than reaching a
Chinese user in English.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from django.utils import translation

from dangjian.development.rules import versions
from dangjian.development.rules.steps import STAGE_NAMES, STEPS

RULES = Path(__file__).resolve().parents[1] / "rules"
MARKER = "gettext_noop"


def _tree(name: str) -> ast.Module:
    return ast.parse((RULES / f"{name}.py").read_text(encoding="utf-8"))


def _is_marked_literal(node: ast.expr) -> bool:
    """``gettext_noop("...")``: the one form ``makemessages`` extracts."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == MARKER
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def _module_values(tree: ast.Module) -> dict[str, ast.expr]:
    values: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name):
            values[target.id] = value
    return values


def _marked(node: ast.expr, tables: dict[str, ast.expr]) -> bool:
    """Whether every message ``node`` can give is a marked literal.

    The forms the checks use: ``gettext_noop("...")``; ``A if cond else B``; a module-level
    table of marked messages, ``TABLE[key]`` or ``TABLE.get(key, default)``; a module-level
    name bound to one of these.
    """
    if _is_marked_literal(node):
        return True
    if isinstance(node, ast.IfExp):
        return _marked(node.body, tables) and _marked(node.orelse, tables)
    if isinstance(node, ast.Name):
        return node.id in tables and _marked(tables[node.id], tables)
    if isinstance(node, ast.Dict):
        return all(_marked(value, tables) for value in node.values)
    if isinstance(node, ast.Subscript):
        return _marked(node.value, tables)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and len(node.args) == 2
        and not node.keywords
    ):
        return _marked(node.func.value, tables) and _marked(node.args[1], tables)
    return False


def _violation_messages(tree: ast.Module) -> list[ast.expr]:
    """The message argument of every ``....violation(rule, message, ...)`` call."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "violation"
        ):
            keyword = next((k.value for k in node.keywords if k.arg == "message"), None)
            message = node.args[1] if len(node.args) > 1 else keyword
            assert message is not None, f"line {node.lineno}: a violation without a message"
            found.append(message)
    return found


def _marked_strings(name: str) -> set[str]:
    return {
        node.args[0].value
        for node in ast.walk(_tree(name))
        if isinstance(node, ast.Call) and _is_marked_literal(node)
    }


def _all_marked_strings() -> set[str]:
    return set().union(*(_marked_strings(path.stem) for path in RULES.glob("*.py")))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --- marked -------------------------------------------------------------------------------------


def test_every_refusal_message_of_the_checks_is_marked():
    tree = _tree("checks")
    messages = _violation_messages(tree)
    assert len(messages) > 30  # the walk found the checks' calls
    tables = _module_values(tree)
    unmarked = [
        f"checks.py:{node.lineno}: {ast.unparse(node)}"
        for node in messages
        if not _marked(node, tables)
    ]
    assert unmarked == [], "wrap each message in gettext_noop(...):\n" + "\n".join(unmarked)


def test_the_names_of_steps_and_stages_and_the_articles_are_marked():
    steps = _marked_strings("steps")
    assert {s.name_en for s in STEPS} <= steps
    assert {english for _, english in STAGE_NAMES.values()} <= steps
    articles = {a for v in versions.VERSIONS for a in v.articles.values()}
    assert articles and articles <= _marked_strings("versions")


def test_the_marker_is_an_identity_that_needs_no_django():
    from dangjian.development.rules.i18n import gettext_noop

    assert gettext_noop("Step {step} is already recorded.") == "Step {step} is already recorded."
    imports = [n for n in ast.walk(_tree("i18n")) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert all(isinstance(n, ast.ImportFrom) and n.module == "__future__" for n in imports)


# --- translated ---------------------------------------------------------------------------------


def test_every_marked_string_has_a_chinese_translation_with_the_same_placeholders():
    messages = _all_marked_strings()
    assert len(messages) > 100  # checks, steps, stages and articles
    problems = []
    with translation.override("zh-hans"):
        for message in sorted(messages):
            translated = translation.gettext(message)
            if re.search(r"[A-Za-z]", message) and translated == message:
                problems.append(f"not translated: {message!r}")
            elif _placeholders(translated) != _placeholders(message):
                problems.append(f"placeholders differ: {message!r} -> {translated!r}")
            else:
                translated.format(**dict.fromkeys(_placeholders(message), "x"))
    assert problems == [], "\n".join(problems)


def test_the_names_of_steps_and_stages_translate_to_their_chinese_names():
    with translation.override("zh-hans"):
        wrong = [
            (s.number, translation.gettext(s.name_en), s.name_zh)
            for s in STEPS
            if translation.gettext(s.name_en) != s.name_zh
        ]
        wrong += [
            (stage.value, translation.gettext(english), chinese)
            for stage, (chinese, english) in STAGE_NAMES.items()
            if translation.gettext(english) != chinese
        ]
    assert wrong == []
