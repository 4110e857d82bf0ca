"""Curriculum content: validated from files, stored by version."""
