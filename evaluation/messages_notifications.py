"""Texts of the evaluation cycle (issue 12): notifications. key -> (Indonesian, English).

`nt.<kind>` is the text of a notification of that kind; its format fields are the notification's params
(evaluation/services/notifications.py lists them per kind)."""

NOTIFICATIONS_MESSAGES: dict[str, tuple[str, str]] = {
    # the notifications themselves
    "nt.returned": (
        "Penilaian {agency} periode {year} dikembalikan untuk perbaikan. Baca catatan asesor, perbaiki, "
        "lalu ajukan kembali.",
        "The {agency} assessment for {year} was returned for revision. Read the reviewer's notes, revise "
        "it and submit it again.",
    ),
    "nt.finalized": (
        "Penilaian {agency} periode {year} telah final: indeks {index}, predikat {predicate}.",
        "The {agency} assessment for {year} is final: index {index}, predicate {predicate}.",
    ),
    "nt.objection_filed": (
        "{agency} mengajukan keberatan atas indikator {indicator} (periode {year}).",
        "{agency} filed an objection on indicator {indicator} ({year}).",
    ),
    "nt.objection_decided": (
        "Keberatan {agency} atas indikator {indicator} (periode {year}) {outcome}.",
        "The {agency} objection on indicator {indicator} ({year}) was {outcome}.",
    ),
    "nt.recommendation_due": (
        "Tindak lanjut rekomendasi {agency} periode {year} ({indicator}) jatuh tempo {due}, "
        "{days} hari lagi.",
        "The follow-up of a {agency} recommendation for {year} ({indicator}) is due {due}, in {days} days.",
    ),
    "nt.deadline": (
        "Batas waktu {what} periode {year}: {date} ({days} hari lagi).",
        "Deadline for {what} of {year}: {date} ({days} days left).",
    ),
    "nt.assigned": (
        "Anda ditugaskan sebagai {role} tim asesor untuk {agency} periode {year}.",
        "You are assigned as {role} of the reviewer team for {agency} ({year}).",
    ),
    "nt.outcome.upheld": ("diterima", "upheld"),
    "nt.outcome.rejected": ("ditolak", "rejected"),
    "nt.outcome.decided": ("telah diputuskan", "decided"),
    "nt.whole_agency": ("seluruh instansi", "the whole agency"),
    "nt.role.lead": ("ketua", "lead"),
    "nt.role.member": ("anggota", "member"),
    "nt.what.self_assessment": ("penilaian mandiri", "the self-assessment"),
    "nt.what.verification": ("verifikasi", "verification"),
    # the page and the badge
    "nt.nav": ("Notifikasi", "Notifications"),
    "nt.nav_count": ("Notifikasi ({count})", "Notifications ({count})"),
    "nt.title": ("Notifikasi", "Notifications"),
    "nt.badge": ("Notifikasi belum dibaca: **{count}**", "Unread notifications: **{count}**"),
    "nt.badge_none": ("Tidak ada notifikasi baru", "No new notifications"),
    "nt.only_unread": ("Hanya yang belum dibaca", "Unread only"),
    "nt.empty": ("Belum ada notifikasi.", "No notifications yet."),
    "nt.mark_read": ("Tandai dibaca", "Mark read"),
    "nt.mark_all": ("Tandai semua dibaca", "Mark all read"),
    "nt.marked": ("{count} notifikasi ditandai dibaca.", "{count} notifications marked read."),
    "nt.new": ("baru", "new"),
    "nt.open": ("Buka halaman", "Open the page"),
    # email address (user admin and the account page)
    "nt.email": ("Email untuk notifikasi", "Email for notifications"),
    "nt.email_help": (
        "Kosongkan untuk tidak menerima email. Email dikirim hanya bila server surat dikonfigurasi.",
        "Leave empty to receive no email. Emails are sent only when a mail server is configured.",
    ),
    "nt.email_save": ("Simpan email", "Save email"),
    "nt.email_saved": ("Alamat email disimpan.", "Email address saved."),
    # emails
    "nt.mail_subject": ("[SPBE] Notifikasi", "[SPBE] Notification"),
    "nt.mail_open": ("Buka: {url}", "Open: {url}"),
    "nt.mail_footer": (
        "Email ini dikirim otomatis oleh Pemantau Kematangan SPBE; jangan dibalas.",
        "This email was sent automatically by the SPBE Maturity Tracker; do not reply.",
    ),
}
