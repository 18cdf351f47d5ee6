"""Budgets: lines, commitments and expenditures, exchange rates, budget against actual."""
