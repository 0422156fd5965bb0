"""Texts of the evaluation cycle (issue 12): reviewers. key -> (Indonesian, English)."""

REVIEWERS_MESSAGES: dict[str, tuple[str, str]] = {
    # the admin page: who reviews which agency
    "ra.nav": ("Penugasan asesor", "Reviewer assignment"),
    "ra.title": ("Penugasan asesor", "Reviewer assignment"),
    "ra.caption": (
        "Satu ketua tim dan sejumlah anggota per instansi dan periode. Ketua baru menjadikan ketua lama "
        "anggota. Setiap perubahan dicatat di riwayat dan asesor menerima pemberitahuan.",
        "One lead and any number of members per agency and period. A new lead turns the old lead into a "
        "member. Every change is recorded in the history and the reviewer is notified.",
    ),
    "ra.period": ("Periode", "Period"),
    "ra.no_periods": ("Belum ada periode.", "No period yet."),
    "ra.closed": (
        "Periode ini ditutup: penugasan hanya dapat dibaca.",
        "This period is closed: assignments are read-only.",
    ),
    "ra.no_reviewers": (
        "Belum ada asesor aktif. Buat pengguna dengan peran asesor di halaman Pengguna.",
        "No active reviewer yet. Create a user with the reviewer role on the Users page.",
    ),
    "ra.any": ("(semua)", "(all)"),
    "ra.province": ("Provinsi", "Province"),
    "ra.reviewer": ("Asesor", "Reviewer"),
    "ra.role": ("Peran", "Role"),
    "ra.role.lead": ("Ketua tim", "Lead"),
    "ra.role.member": ("Anggota", "Member"),
    "ra.lead": ("Ketua tim", "Lead"),
    "ra.members": ("Anggota", "Members"),
    "ra.table": ("Instansi dan asesornya", "Agencies and their reviewers"),
    "ra.without_lead": ("{count} instansi belum punya ketua tim.", "{count} agencies have no lead yet."),
    "ra.by_hand": ("Tugaskan satu instansi", "Assign one agency"),
    "ra.agency": ("Instansi", "Agency"),
    "ra.assign": ("Tugaskan", "Assign"),
    "ra.unassign": ("Lepaskan dari instansi ini", "Remove from this agency"),
    "ra.saved": ("Penugasan disimpan.", "Assignment saved."),
    "ra.unchanged": ("Tidak ada yang berubah: penugasan sudah demikian.", "Nothing changed: already so."),
    "ra.removed": ("Asesor dilepaskan dari instansi.", "Reviewer removed from the agency."),
    "ra.bulk": ("Tugaskan per kategori atau provinsi", "Assign by category or province"),
    "ra.bulk_help": (
        "Semua instansi aktif pada kategori dan/atau provinsi yang dipilih.",
        "Every active agency of the chosen category and/or province.",
    ),
    "ra.bulk_pick": ("Pilih kategori dan/atau provinsi.", "Choose a category and/or a province."),
    "ra.bulk_count": ("{count} instansi aktif cocok.", "{count} active agencies match."),
    "ra.bulk_confirm": (
        "Saya yakin: tugaskan {reviewer} sebagai {role} di {count} instansi",
        "I am sure: assign {reviewer} as {role} to {count} agencies",
    ),
    "ra.bulk_apply": ("Tugaskan semua", "Assign them all"),
    "ra.changed": ("{count} penugasan berubah.", "{count} assignments changed."),
    "ra.upload": ("Unggah berkas penugasan", "Upload an assignment file"),
    "ra.upload_help": (
        "CSV atau XLSX dengan kolom Kode instansi, Asesor (nama pengguna) dan Peran (ketua atau anggota). "
        "Berkas diperiksa dulu; bila ada masalah, tidak ada yang diterapkan.",
        "CSV or XLSX with the columns Agency code, Reviewer (username) and Role (lead or member). The "
        "file is checked first; with any problem nothing is applied.",
    ),
    "ra.template": ("Unduh templat (XLSX)", "Download the template (XLSX)"),
    "ra.preview": (
        "Baru {insert}, ganti peran {update}, tetap {unchanged}, masalah {problems}.",
        "New {insert}, role changed {update}, unchanged {unchanged}, problems {problems}.",
    ),
    "ra.action.insert": ("baru", "new"),
    "ra.action.update": ("ganti peran", "role changed"),
    "ra.action.unchanged": ("tetap", "unchanged"),
    "ra.row": ("Baris", "Row"),
    "ra.action": ("Perubahan", "Change"),
    "ra.apply": ("Terapkan berkas", "Apply the file"),
    # the reviewer's queue on the verification page
    "ra.q_search": ("Cari instansi (nama atau kode)", "Search agencies (name or code)"),
    "ra.q_status": ("Status", "Status"),
    "ra.q_stage": ("Tahap", "Stage"),
    "ra.q_category": ("Kategori", "Category"),
    "ra.q_province": ("Provinsi", "Province"),
    "ra.q_overdue": ("Hanya yang lewat batas verifikasi", "Only past the verification deadline"),
    "ra.q_overdue_count": ("Lewat batas", "Overdue"),
    "ra.q_mine": ("Tugas saya", "Mine"),
    "ra.q_days_left": ("Sisa hari", "Days left"),
    "ra.q_no_match": (
        "Tidak ada penilaian yang cocok dengan saringan ini.",
        "No assessment matches these filters.",
    ),
    "ra.q_mine_count": ("Instansi tugas saya", "My agencies"),
}
