"""An accountable peer buddy: a new hire paired with an experienced peer, check-ins on a cadence
(with the "will do" commitments carried to the next one), and the coach alerted when the
check-ins lapse."""
