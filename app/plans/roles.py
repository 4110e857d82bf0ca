"""Which plan template fits a person's job title: pure, so every wording can be tested.

Plan templates name a role by its short form ("SDR", "AE"); people are added with a job title
in words ("Sales Development Rep", "Senior Account Executive").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol


class RoleTemplate(Protocol):
    @property
    def template_key(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def title(self) -> str: ...


def fits(job_title: str, template: RoleTemplate) -> bool:
    """The role named as a word of the title or by its initials, or the title in the plan's."""
    words = re.findall(r"[A-Za-z]+", job_title)
    if not words:
        return False
    role = template.role.strip().upper()
    initials = "".join(word[0] for word in words).upper()
    in_words = role in {word.upper() for word in words}
    named_in_plan = " ".join(words).lower() in template.title.lower()
    return in_words or (len(role) > 1 and role in initials) or named_in_plan


def template_for_job_title(job_title: str, templates: Sequence[RoleTemplate]) -> str | None:
    """The key of the one template that fits the job title; None if none or several do."""
    fitting = [t.template_key for t in templates if fits(job_title, t)]
    return fitting[0] if len(fitting) == 1 else None
