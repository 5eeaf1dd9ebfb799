"""Set translations in the Chinese catalog: python scripts/translate.py FILE.json

FILE.json maps msgid to msgstr; the entries lose their fuzzy flag. Obsolete entries are
dropped. Used when `make messages` brings new strings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

CATALOG = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def main(path: str) -> int:
    table = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(CATALOG))
    for entry in list(po):
        if entry.obsolete:
            po.remove(entry)
            continue
        if entry.msgid in table:
            value = table[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(CATALOG))
    left = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    for msgid in left:
        print("untranslated:", msgid)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
