"""Dashboards: the ramp in numbers for coaches and managers, and coaches held to account."""
