"""Coaching: debriefs, SMART commitments, follow-through and repeated gaps."""
