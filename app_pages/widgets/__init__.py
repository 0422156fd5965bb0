"""Page scaffolding shared by the pages (issue 15): pickers, the permission guard, error display and the
two-step confirmation box. Each page keeps only its own content and calls these:

    from app_pages import widgets as w
    lang, url, actor = w.page_start(N_("cp.title"))
    period = w.period_picker(c.periods(url), lang, key="cp_period")
    w.require_roles(actor, *MINISTRY_ROLES)

Not widgets (the engine, the signed-in user, the language, start-up) stay in app_pages/components.py."""

from app_pages.widgets.errors import problems_table, show_error, stop_on_refusal
from app_pages.widgets.guard import require_roles
from app_pages.widgets.opening import page_start
from app_pages.widgets.pickers import agency_picker, period_label, period_picker
from app_pages.widgets.progress import reporting_to

__all__ = [
    "agency_picker",
    "page_start",
    "period_label",
    "period_picker",
    "problems_table",
    "reporting_to",
    "require_roles",
    "show_error",
    "stop_on_refusal",
]
