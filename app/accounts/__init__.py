"""People, roles, teams and signing in."""
