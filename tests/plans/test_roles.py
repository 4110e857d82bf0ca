"""A job title in words finds the plan template of its role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.plans.roles import template_for_job_title


@dataclass(frozen=True)
class Template:
    template_key: str
    role: str
    title: str


TEMPLATES = [
    Template("ae-ramp", "AE", "Account Executive 30/60/90-day ramp"),
    Template("sdr-ramp", "SDR", "Sales Development Rep 30/60/90-day ramp"),
]


@pytest.mark.parametrize(
    ("job_title", "key"),
    [
        ("Account Executive", "ae-ramp"),
        ("Senior Account Executive", "ae-ramp"),
        ("AE", "ae-ramp"),
        ("Sales Development Rep", "sdr-ramp"),
        ("Sales Development Representative", "sdr-ramp"),
        ("SDR (EMEA)", "sdr-ramp"),
        ("sales development rep", "sdr-ramp"),
        ("Sales Manager", None),
        ("", None),
    ],
)
def test_the_template_of_the_job_titles_role(job_title: str, key: str | None) -> None:
    assert template_for_job_title(job_title, TEMPLATES) == key
