"""Donor progress reports: chosen in a form, built in the background as a PDF, kept and downloadable again."""
