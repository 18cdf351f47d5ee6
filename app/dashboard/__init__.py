"""The portfolio dashboard, search and notifications."""
