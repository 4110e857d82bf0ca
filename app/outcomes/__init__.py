"""Ramp outcomes: days to the firsts, the day each rep ramped, cohort curves, readiness."""
