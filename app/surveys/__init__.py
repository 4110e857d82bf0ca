"""Listening to new hires: pulse surveys at day 30, 60 and 90, and debrief ratings."""
