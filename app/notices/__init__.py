"""Written notices under signed consequence agreements.

A consequence agreement's curriculum file names conditions (``notice_when``); the daily sweep
keeps each covered rep's status for the day, and when a condition holds it drafts a notice
for HR once per episode. The notice is an agreement of kind ``notice``: HR edits and sends it,
the rep signs it, and it is sealed, audited and publicly verifiable like any agreement.
"""
