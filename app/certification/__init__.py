"""Certification: rubrics per sales stage, assessments, pass rules, attempts and expiry."""
