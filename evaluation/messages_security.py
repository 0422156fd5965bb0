"""User-facing texts of sign-in, sessions, audit and backups (issue 11): key -> (Indonesian, English)."""

SECURITY_MESSAGES: dict[str, tuple[str, str]] = {
    # closed periods (app_pages/period_admin.py)
    "period.admin": ("Buka / tutup periode", "Open / close periods"),
    "period.admin_help": (
        "Periode yang ditutup hanya dapat dibaca oleh semua peran sampai admin membukanya kembali; "
        "setiap perubahan dicatat di log audit.",
        "A closed period is read-only for every role until an admin reopens it; each change is "
        "recorded in the audit log.",
    ),
    "period.status": ("Status", "Status"),
    "period.close": ("Tutup periode ini", "Close this period"),
    "period.reopen": ("Buka kembali periode ini", "Reopen this period"),
    "period.closed_done": ("Periode ditutup.", "The period is closed."),
    "period.reopened": ("Periode dibuka kembali.", "The period is open again."),
    # links shown as plain text (app_pages/components.py: safe_link)
    "link.not_http": ("(bukan tautan http/https; tidak dibuka)", "(not an http/https link; not opened)"),
    "link.open": ("Buka tautan di {host}", "Open the link on {host}"),
}
