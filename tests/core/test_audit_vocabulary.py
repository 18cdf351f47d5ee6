"""Feeds speak the reader's language: field names, enumerations, dates and times; bookkeeping columns stay out."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from app.core.audit.vocabulary import field_label, value_text


def test_fields_of_every_feature_have_names_and_bookkeeping_columns_do_not(app_ctx: Flask) -> None:
    with force_locale("en"):
        assert field_label("water_litres_per_day") == "Water supply (litres per day)"
        assert field_label("signed_on") == "Signed on"
        assert field_label("unit_cost") == "Unit cost"
    with force_locale("es"):
        assert field_label("status") == "Estado"
    for bookkeeping in ("storage_key", "sha256", "display_key", "template_id", "gps_latitude"):
        assert field_label(bookkeeping) is None


def test_values_read_as_people_write_them(app_ctx: Flask) -> None:
    with force_locale("en"):
        # Stored in UTC, read in Honduras (UTC-6).
        submitted = value_text("assessments", "submitted_at", "2026-11-23T12:08:00.705064+00:00")
        assert submitted == "11/23/26, 6:08\u202fAM"
        assert value_text("agreements", "signed_on", "2026-05-11") == "May 11, 2026"
        assert value_text("agreements", "status", "signed") == "Signed"
        assert value_text("budget_lines", "category", "works") == "Works"
        assert value_text("photos", "consent_recorded", True) == "Yes"
        assert value_text("projects", "manager_id", 7, lambda key, n: {7: "Mario"}.get(n)) == "Mario"
        assert value_text("projects", "manager_id", 8, lambda key, n: None) == "#8"
        assert value_text("assessments", "summary", "x" * 300).endswith("…")
        assert value_text("assessments", "summary", None) == "—"
        # A stored value that is no longer a member of its enumeration is shown as stored, never an error.
        assert value_text("phases", "status", "retired") == "retired"
    with force_locale("es"):
        assert value_text("phases", "status", "in_progress") == "En curso"
        assert value_text("agreements", "signed_on", "2026-05-11") == "11 may 2026"
