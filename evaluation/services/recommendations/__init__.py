"""Recommendations (rekomendasi perbaikan) and their follow-up (tindak lanjut), issue 12.

The life of one: a reviewer of the agency writes it on finalizing (in review or final; per indicator or
for the whole agency) -> "open"; the agency's operator or coordinator records the follow-up (what, by
whom, by when, evidence, a roadmap activity) and marks it "done"; a reviewer of a LATER period of the same
agency confirms it ("confirmed") or reopens it with a note ("reopened", answered again by the agency).
Every change is audited (entity "recommendation") and carries an optimistic `version`. Coordinators get
"recommendation_due" reminders (`due_reminders`).

    writes.py     add / edit / delete (reviewer)
    followup.py   record_followup, upload_followup_evidence, mark_done (agency); check_recommendation
    reads.py      per assessment, per agency, the previous periods' for the next reviewer, nationwide
    overview.py   the ministry's counts of open ones by indicator, category and province
    reminders.py  due_reminders
    export.py     the spreadsheet (XLSX / CSV) of the page downloads and the export command
"""

from evaluation.services.recommendations.followup import (
    check_recommendation,
    later_period_ids,
    mark_done,
    record_followup,
    upload_followup_evidence,
)
from evaluation.services.recommendations.overview import Overview, OverviewCount, overview
from evaluation.services.recommendations.reads import (
    RecommendationView,
    open_recommendations_of_agency,
    recommendations_for_assessment,
    recommendations_nationwide,
    recommendations_of_agency,
)
from evaluation.services.recommendations.reminders import due_reminders
from evaluation.services.recommendations.rules import StaleRecommendation
from evaluation.services.recommendations.writes import (
    add_recommendation,
    delete_recommendation,
    edit_recommendation,
)

__all__ = [
    "Overview",
    "OverviewCount",
    "RecommendationView",
    "StaleRecommendation",
    "add_recommendation",
    "check_recommendation",
    "delete_recommendation",
    "due_reminders",
    "edit_recommendation",
    "later_period_ids",
    "mark_done",
    "open_recommendations_of_agency",
    "overview",
    "recommendations_for_assessment",
    "recommendations_nationwide",
    "recommendations_of_agency",
    "record_followup",
    "upload_followup_evidence",
]
