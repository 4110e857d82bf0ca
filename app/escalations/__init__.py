"""Escalation of overdue work: a milestone or commitment left overdue is raised to the rep's
coach, and later to the coach's manager (or HR), once per item and level."""
