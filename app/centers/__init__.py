"""The register of reception centers."""
