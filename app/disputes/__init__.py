"""Disputes: a rep acknowledges or disputes a certification result, a debrief's notes or a score
correction; the coach, HR or an admin resolves it against a turnaround target, on the record."""
