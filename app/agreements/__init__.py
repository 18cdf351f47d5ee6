"""Partnership agreements: kinds, parties and their roles, signature, commitments."""
