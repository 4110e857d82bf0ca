"""Exports: every table a manager reads, as CSV and Excel, with the page's filters."""
