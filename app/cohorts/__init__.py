"""Cohort import: new hires from a CSV file, previewed, then created all or nothing."""
