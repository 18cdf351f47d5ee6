"""Site assessments: checklists, capacity against standards, findings, review workflow."""
