"""``/healthz``: whether this web worker can reach the database and the job queue."""
