"""The Vietnamese catalogue is complete and the compiled .mo that ships matches the .po."""

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "eiso" / "locale"


def parse_po(path: Path) -> tuple[dict, list[str]]:
    """``{msgid: msgstr}`` (plural entries: ``{(msgid, plural): [msgstr…]}``) and the fuzzy msgids.

    A .po file is a series of blank-line separated entries: comments and flags (``#, fuzzy``), then
    ``msgctxt``/``msgid``/``msgid_plural``/``msgstr``/``msgstr[n]`` fields, each continued by quoted lines.
    """
    entries, fuzzy = {}, []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if not lines or all(line.startswith("#") for line in lines):
            continue  # obsolete (#~) or comment-only
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _, rest = line.partition(" ")
                fields[current] = ast.literal_eval(rest)
        msgid = fields["msgid"]
        if "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        if "msgid_plural" in fields:
            entries[(msgid, fields["msgid_plural"])] = [v for k, v in sorted(fields.items()) if k.startswith("msgstr[")]
        else:
            entries[msgid] = fields["msgstr"]
        if "fuzzy" in flags:
            fuzzy.append(msgid)
    return entries, fuzzy


def test_every_vietnamese_string_is_translated_and_none_is_fuzzy():
    entries, fuzzy = parse_po(LOCALE / "vi" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    missing = [k for k, v in entries.items() if k != "" and (not v or (isinstance(v, list) and "" in v))]
    assert missing == [], f"untranslated: {missing[:20]}"
    assert fuzzy == [], f"fuzzy: {fuzzy[:20]}"


def test_compiled_catalogue_matches_the_po():
    entries, _fuzzy = parse_po(LOCALE / "vi" / "LC_MESSAGES" / "django.po")
    with open(LOCALE / "vi" / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for key, value in entries.items():
        if key == "" or isinstance(key, tuple):
            continue
        if compiled.gettext(key) != value:
            stale.append(key)
    assert stale == [], f"run `make messages` (compilemessages): {stale[:10]}"
    assert compiled.gettext("NO LONGER IN FORCE") == "HẾT HIỆU LỰC"
