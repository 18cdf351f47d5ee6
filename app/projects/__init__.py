"""Rehabilitation projects, their phases and gates, milestones and works progress."""
