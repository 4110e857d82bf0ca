"""Reaching people: the digest of what is overdue and waiting, and the coach's work queue.

Above the features in the layers: it reads plans, certifications, debriefs, commitments and
agreements to tell each person, in one place, what waits on them.
"""
