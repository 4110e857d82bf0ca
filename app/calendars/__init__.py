"""Private calendar feeds: each person's due dates as iCalendar, behind a revocable token."""
