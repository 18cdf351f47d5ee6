"""Administrators manage user accounts: create, re-role, disable, reset passwords."""
