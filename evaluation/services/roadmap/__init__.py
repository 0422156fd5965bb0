"""Roadmap use cases: targets (agency and national) with their status, restating targets on a new
framework, activities (kegiatan), and the levels the what-if and best-path tools start from."""

from evaluation.services.roadmap.activities import ActivityView, list_activities, save_activity
from evaluation.services.roadmap.levels import latest_levels
from evaluation.services.roadmap.observed import observations, series
from evaluation.services.roadmap.targets import (
    TargetView,
    agency_names,
    horizon_years,
    list_targets,
    off_track_targets,
    save_target,
)

__all__ = [
    "ActivityView",
    "TargetView",
    "agency_names",
    "horizon_years",
    "latest_levels",
    "list_activities",
    "list_targets",
    "observations",
    "off_track_targets",
    "save_activity",
    "save_target",
    "series",
]
