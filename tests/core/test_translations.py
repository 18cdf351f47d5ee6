"""No string shown to a user is left untranslated: every message in the code and templates has Spanish."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("app/**.py", "python"), ("app/**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _extracted() -> dict[str, str]:
    messages: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS
    ):
        # A plural message is catalogued under its singular msgid; the plural form lives in the same entry.
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            messages.setdefault(msgid, filename)
    return messages


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def test_every_message_has_a_spanish_translation() -> None:
    catalog = _catalog("es")
    missing = []
    for msgid, filename in _extracted().items():
        entry = catalog.get(msgid)
        text = entry.string if entry else None
        if isinstance(text, tuple):
            text = text[0] if all(text) else ""
        if not text or (entry is not None and entry.fuzzy):
            missing.append(f"{filename}: {msgid}")
    assert not missing, f"{len(missing)} messages without Spanish:\n" + "\n".join(sorted(missing)[:60])


def test_spanish_translations_keep_their_placeholders() -> None:
    catalog = _catalog("es")
    problems = [f"{message.id}: {errors}" for message, errors in catalog.check() if errors]
    assert not problems, "\n".join(problems[:30])


def test_messages_are_extracted_from_code_and_templates() -> None:
    found = _extracted()
    assert "Sign in" in found
    assert "The e-mail or the password is not correct." in found


def test_no_template_message_holds_angle_brackets() -> None:
    """In a template a translated message is trusted markup (the i18n extension marks it safe), so "<token>" in
    one would vanish as an unknown tag instead of showing: such text goes outside the message, escaped."""
    messages = _extracted().items()
    inside = [f"{filename}: {msgid}" for msgid, filename in messages if filename.endswith(".html") and "<" in msgid]
    assert not inside, "\n".join(inside)
