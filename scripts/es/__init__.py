"""Spanish translations by feature: each module holds ``TRANSLATIONS: dict = {msgid: msgstr}``, merged by
scripts/translate_es.py into its own dictionary."""
