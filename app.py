"""Entry point: page config, the database made ready, the login gate, language, navigation by role.

`streamlit run app.py` finds the `st.App` below and serves this same script with two routes that set
and clear the HttpOnly session cookie (see app_pages/auth_routes.py); run as the script, the else
branch draws the app.
"""

from pathlib import Path

import streamlit as st

from evaluation.workflow import AGENCY_ROLES, MINISTRY_ROLES, Role

ICON = Path(__file__).resolve().parent / "assets" / "icon.png"

if __name__ != "__main__":
    from app_pages.auth_routes import middleware, routes

    app = st.App(__file__, routes=routes(), middleware=middleware())
else:
    from app_pages.components import current_lang, current_user, ensure_ready, language_selector, user_sidebar
    from evaluation.i18n import t

    # a local icon: an emoji or ":material/...:" favicon is fetched from another host by the browser
    st.set_page_config(page_title="SPBE / Pemdi", page_icon=str(ICON), layout="wide")
    language_selector()
    lang = current_lang()
    ensure_ready(lang)
    user = current_user()

    def page(path: str, key: str, icon: str, slug: str, default: bool = False) -> st.Page:
        return st.Page(path, title=t(key, lang), icon=icon, url_path=slug, default=default)

    public = [
        page("app_pages/home.py", "nav.home", ":material/dashboard:", "beranda", default=True),
        page("app_pages/frameworks.py", "nav.frameworks", ":material/account_tree:", "kerangka"),
    ]
    work: list[st.Page] = []
    if user is None:
        work.append(page("app_pages/login.py", "nav.login", ":material/login:", "masuk"))
    elif user.role in AGENCY_ROLES:
        work.append(page("app_pages/assessment.py", "nav.assessment", ":material/edit_note:", "penilaian"))
    elif user.role == Role.REVIEWER:
        work.append(
            page("app_pages/verification.py", "nav.verification", ":material/fact_check:", "verifikasi")
        )
        work.append(page("app_pages/objections.py", "ob.nav", ":material/gavel:", "keberatan"))
        work.append(page("app_pages/assessment.py", "nav.assessment", ":material/edit_note:", "penilaian"))
    elif user.role == Role.ADMIN:
        work.append(page("app_pages/users.py", "nav.users", ":material/group:", "pengguna"))
        work.append(page("app_pages/periods.py", "pa.nav", ":material/event:", "periode"))
        work.append(
            page("app_pages/reviewer_admin.py", "ra.nav", ":material/assignment_ind:", "penugasan-asesor")
        )
    if user is not None and user.role != Role.ADMIN:
        work.append(page("app_pages/roadmap.py", "nav.roadmap", ":material/flag:", "peta-rencana"))
    if user is not None and user.role in AGENCY_ROLES:
        work.append(page("app_pages/recommendations.py", "rc.nav", ":material/task_alt:", "rekomendasi"))
    if user is not None and user.role in MINISTRY_ROLES:
        work.append(page("app_pages/compare.py", "nav.compare", ":material/leaderboard:", "perbandingan"))
        work.append(
            page(
                "app_pages/recommendation_overview.py",
                "rc.nav_overview",
                ":material/checklist:",
                "rekomendasi-nasional",
            )
        )
        work.append(page("app_pages/trends.py", "nav.trends", ":material/show_chart:", "tren"))
        work.append(page("app_pages/gaps.py", "nav.gaps", ":material/compare_arrows:", "selisih"))
        work.append(page("app_pages/rollups.py", "nav.rollups", ":material/map:", "rekap-provinsi"))
        work.append(
            page(
                "app_pages/national_roadmap.py",
                "nav.national_roadmap",
                ":material/public:",
                "peta-rencana-nasional",
            )
        )
    if user is not None:
        work.append(page("app_pages/excel.py", "nav.excel", ":material/table_view:", "excel"))
        work.append(page("app_pages/audit.py", "nav.audit", ":material/history:", "riwayat"))
        from app_pages.notification_badge import nav_page as notifications_page

        work.append(notifications_page(user, lang))
        work.append(page("app_pages/account.py", "nav.account", ":material/shield_person:", "akun"))
        user_sidebar(user, lang)
        from evaluation.services.mfa import mfa_enabled, mfa_required

        if mfa_required(user.role) and not mfa_enabled(user):  # enrol before anything else
            public, work = [], work[-1:]
    sections = {t("nav.overview", lang): public, t("nav.work", lang): work}
    from app_pages.incidents import run_guarded

    shown = st.navigation({name: pages for name, pages in sections.items() if pages})
    run_guarded(shown.run, lang, page=shown.url_path)  # an unexpected error: an incident id, no traceback
