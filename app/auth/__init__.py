"""Sign-in, sign-out, passwords and the user's language."""
