"""The JSON API under ``/api/v1``: bearer tokens, problem details, and the records of the web pages."""
