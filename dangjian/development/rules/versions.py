"""Rule versions of the Working Rules on Recruiting Party Members (发展党员工作细则).

Each version holds the numbers and the article each rule cites. A step is judged under the
version in force on its date (domain-rules.md section 0.1 item 1; DESIGN.md section 4 item 4).

- ``2014.06``: 细则2014, issued by the CPC General Office on 2014-05-28 (中办发〔2014〕33号) and
  published in June 2014 (hence the key). The text takes effect from its issue (自发布之日起施行);
  the effective date used here is the issue date, 2014-05-28. Earlier steps (the 1990 trial
  rules) are not encoded: a step dated before 2014-05-28 is judged by 2014.06, the earliest
  version.
- ``2026.05``: the revision that public code calls "2026年5月修订", dated 2026-05-11 and
  published 2026-05-18 (domain-rules.md section 1.0). **Its official text is not verified**
  ([V-code] only): its effective date and every 2026 difference can be overridden through
  ``RulesConfig``.

Both effective dates are configurable (``RulesConfig.effective``), as is whether a case is
judged by the version of each step's date or of the case's application date
(``RulesConfig.version_by``), until the Party office confirms the transitional rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from dangjian.development.rules.i18n import gettext_noop

# Who the pass threshold (V-3) counts: the words of each version. Both count the same people
# in practice, since only full members not under 留党察看 hold a vote (V-5, 党章 Art 7), so
# the number is the vote's ``entitled`` either way; the message names the version's wording.
ENTITLED_FULL = "entitled voting full members (应到会有表决权的正式党员)"
ENTITLED_VOTING = "entitled voting members (应到会有表决权的党员)"


@dataclass(frozen=True)
class RuleVersion:
    key: str
    effective: dt.date
    title: str
    min_age_years: int = 18  # D-1
    talk_within_months: int = 1  # Art 7
    activist_assessment_months: int = 6  # Art 11
    contacts_min: int = 1  # Art 9
    contacts_max: int = 2
    activist_min_months: int = 12  # Art 13
    # Working days of public notice (公示) required before a step: {step: days}.
    notice_working_days: Mapping[int, int] = field(default_factory=dict)
    sponsors_required: int = 2  # Art 14
    training_min_days: int = 3  # Art 18 (2026 Art 17)
    training_min_hours: int = 24
    leave_within_months: int = 3  # Art 19
    prereview_to_branch_months: int | None = None  # 2026 Art 19
    approval_months: int = 3  # approval of admission; beyond it, a recorded reason
    approval_max_months: int = 6
    probation_months: int = 12  # 党章 Art 7
    extension_min_months: int = 6  # Art 32 (2026 Art 31)
    extension_max_months: int = 12
    extensions_max: int = 1
    conversion_approval_months: int = 3
    majority_denominator: str = ENTITLED_FULL
    articles: Mapping[str, str] = field(default_factory=dict)

    def article(self, rule: str) -> str:
        return self.articles.get(rule, "")


# Article numbers only where domain-rules.md gives them; elsewhere the rule and its source.
# Marked for translation: the Django layer shows a violation's article in the user's language.
_ARTICLES_2014 = {
    "DEV-FIELDS": gettext_noop("细则2014; issue 5 API contract"),
    "DEV-ORDER": gettext_noop("细则2014, the 25-step flowchart (section 1.2)"),
    "DEV-AGE": gettext_noop("党章 Art 1; 细则2014 Art 5"),
    "DEV-TALK": gettext_noop("细则2014 Art 7"),
    "DEV-CONTACTS": gettext_noop("细则2014 Art 9"),
    "DEV-ASSESS": gettext_noop("细则2014 Art 11"),
    "DEV-1YEAR": gettext_noop("细则2014 Art 13"),
    "DEV-NOTICE": gettext_noop("local practice (细则2014 has no national notice duration)"),
    "DEV-SPONSOR": gettext_noop("细则2014 Art 14"),
    "DEV-PV": gettext_noop("细则2014 Art 16-17"),
    "DEV-TRAIN": gettext_noop("细则2014 Art 18"),
    "DEV-LEAVE3M": gettext_noop("细则2014 Art 19"),
    "DEV-PRE2BR": gettext_noop("local practice (细则2014 Art 20 sets no time limit)"),
    "DEV-VOTE-COUNTS": gettext_noop("细则2014 Art 21"),
    "DEV-QUORUM": gettext_noop("细则2014 Art 20"),
    "DEV-MAJORITY": gettext_noop("细则2014 Art 21"),
    "DEV-APPROVER": gettext_noop(
        "细则2014: approval by a basic-level committee with approval authority"
    ),
    "DEV-APPR": gettext_noop("细则2014: approval within 3 months, at most 6"),
    "DEV-PROB": gettext_noop("党章 Art 7; 细则2014 Art 32"),
    "DEV-EXT": gettext_noop("细则2014 Art 32"),
    "DEV-CONV-APPR": gettext_noop("细则2014 Art 33"),
}

_UNVERIFIED = gettext_noop("细则2026 (article number not known)")
_ARTICLES_2026 = {
    **dict.fromkeys(_ARTICLES_2014, _UNVERIFIED),
    "DEV-FIELDS": gettext_noop("细则2026; issue 5 API contract"),
    "DEV-ORDER": gettext_noop("细则2026, the 25-step flowchart (section 1.2)"),
    "DEV-AGE": gettext_noop("党章 Art 1; 细则2026"),
    "DEV-CONTACTS": gettext_noop("细则2026 Art 9"),
    "DEV-1YEAR": gettext_noop("细则2026 Art 13"),
    "DEV-NOTICE": gettext_noop("细则2026 Art 13"),
    "DEV-SPONSOR": gettext_noop("细则2026 Art 14"),
    "DEV-PV": gettext_noop("细则2026 Art 16"),
    "DEV-TRAIN": gettext_noop("细则2026 Art 17"),
    "DEV-PRE2BR": gettext_noop("细则2026 Art 19"),
    "DEV-QUORUM": gettext_noop("细则2026 Art 19"),
    "DEV-MAJORITY": gettext_noop("细则2026 Art 20"),
    "DEV-VOTE-COUNTS": gettext_noop("细则2026 Art 20"),
    "DEV-PROB": gettext_noop("党章 Art 7; 细则2026 Art 31"),
    "DEV-EXT": gettext_noop("细则2026 Art 31"),
    "DEV-CONV-APPR": gettext_noop("细则2026 Art 33"),
}

V2014 = RuleVersion(
    key="2014.06",
    effective=dt.date(2014, 5, 28),
    title="中国共产党发展党员工作细则 (中办发〔2014〕33号)",
    articles=MappingProxyType(_ARTICLES_2014),
)

V2026 = RuleVersion(
    key="2026.05",
    effective=dt.date(2026, 5, 11),
    title="中国共产党发展党员工作细则 (2026年5月修订) [V-code, official text not verified]",
    notice_working_days=MappingProxyType({7: 5}),
    prereview_to_branch_months=1,
    majority_denominator=ENTITLED_VOTING,
    articles=MappingProxyType(_ARTICLES_2026),
)

VERSIONS: tuple[RuleVersion, ...] = (V2014, V2026)
BY_KEY: dict[str, RuleVersion] = {v.key: v for v in VERSIONS}
