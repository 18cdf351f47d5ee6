"""What every feature uses: errors, permissions, audit, i18n, time and database helpers."""
