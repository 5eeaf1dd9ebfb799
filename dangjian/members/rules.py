"""Party rules on member records, each citing its source (domain-rules.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    code: str
    source: str | Promise
    text: str | Promise


MIN_AGE = Rule(
    code="MEM-AGE18",
    source=_("Party Constitution, Art. 1"),
    text=_("A member must be at least 18 years old when joining."),
)
MIN_AGE_YEARS = 18

PROBATION_ONE_YEAR = Rule(
    code="MEM-PROBATION",
    source=_("Party Constitution, Art. 7"),
    text=_("The probation lasts one year from admission."),
)
PROBATION_MONTHS = 12

EXTENSION_LIMIT = Rule(
    code="MEM-EXTENSION",
    source=_("Party Constitution, Art. 7"),
    text=_("Probation may be extended once, by at least six months and at most one year."),
)
EXTENSION_MIN_MONTHS = 6
EXTENSION_MAX_MONTHS = 12

NO_PERSUASION_ON_PROBATION = Rule(
    code="MEM-EXIT-PROBATION",
    source=_("Party Constitution, Art. 9"),
    text=_(
        "Probationary members are not persuaded to leave or removed; their probation is "
        "extended or cancelled instead."
    ),
)

PROBATION_IN_PARTY_YEARS = Rule(
    code="DIS-PROBATION",
    source=_("Regulations on Disciplinary Sanctions (2023), Art. 10"),
    text=_("Probation within the Party lasts one or two years."),
)
