"""30/60/90-day onboarding plans and completion tracking."""
