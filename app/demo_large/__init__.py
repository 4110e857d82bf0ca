"""A large demo organisation (``flask demo --reps 1000``), built through the app's own services.

For measuring pages at scale: teams of about twenty reps, a coach each, a few HR people and
admins, reps who started at any point over the last year, and their history acted out through
the plans, certification, coaching and agreements services. Deterministic for a given seed,
number of reps and day. Modules: ``people`` (who), ``ramp`` (milestones and certifications),
``coaching`` (debriefs, commitments, their notifications), ``agreements``, ``build`` (in
batches, one team at a time).
"""

from app.demo_large.build import GENERATOR_VERSION, LargeOrganisation, seed_large_organisation

__all__ = ["GENERATOR_VERSION", "LargeOrganisation", "seed_large_organisation"]
