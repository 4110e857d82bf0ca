"""Activity data: CRM imports, the rep's own log, and number milestones judged from them."""
