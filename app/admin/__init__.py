"""The admin's pages for running the organisation: people, teams and settings."""
