"""User-facing text in Indonesian first, English available; numbers and dates through Babel's locale data."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
LOCALES = {"id": "id_ID", "en": "en_GB"}

MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("Pemantau Kematangan SPBE", "SPBE Maturity Tracker"),
    "app.language": ("Bahasa", "Language"),
    "app.loading_demo": (
        "Menyiapkan basis data dan data demo (sekali saja)...",
        "Preparing the database and demo data (once only)...",
    ),
    "nav.home": ("Beranda", "Home"),
    "nav.frameworks": ("Kerangka Penilaian", "Frameworks"),
    "home.title": ("Dasbor Nasional", "National dashboard"),
    "home.caption": (
        "Indeks dihitung ulang dari tingkat final setiap instansi; rata-rata nasional adalah "
        "rata-rata sederhana indeks instansi.",
        "Indices are recomputed from each agency's final levels; the national figure is the plain "
        "mean of the agencies' indices.",
    ),
    "home.national_index": ("Indeks nasional", "National index"),
    "home.agencies": ("Instansi", "Agencies"),
    "home.verified": ("Terverifikasi", "Verified"),
    "home.period": ("Periode", "Period"),
    "home.trend": ("Indeks nasional per tahun", "National index over the years"),
    "home.trend_break": (
        "Kerangka berganti: tidak ada konversi resmi SPBE 2020 ke Pemdi 2026",
        "Framework changes: no official crosswalk from SPBE 2020 to Pemdi 2026",
    ),
    "home.by_predicate": ("Instansi menurut predikat", "Agencies by predicate"),
    "home.radar": ("Profil instansi", "Agency profile"),
    "home.choose_agency": ("Pilih instansi", "Choose an agency"),
    "home.no_result": (
        "Belum ada hasil final untuk instansi ini pada periode ini.",
        "No final result for this agency in this period yet.",
    ),
    "home.status_counts": ("Status penilaian periode berjalan", "Assessment status in the current period"),
    "home.empty": ("Belum ada periode dengan hasil final.", "No period has final results yet."),
    "period.open": ("berjalan", "open"),
    "period.closed": ("ditutup", "closed"),
    "status.draft": ("Draf", "Draft"),
    "status.submitted": ("Diajukan", "Submitted"),
    "status.in_review": ("Dalam verifikasi", "In review"),
    "status.returned": ("Dikembalikan", "Returned"),
    "status.final": ("Final", "Final"),
    "word.index": ("Indeks", "Index"),
    "word.predicate": ("Predikat", "Predicate"),
    "word.year": ("Tahun", "Year"),
    "word.category": ("Kategori", "Category"),
    "word.count": ("Jumlah", "Count"),
    "word.framework": ("Kerangka", "Framework"),
    "word.weight": ("Bobot", "Weight"),
    "word.level": ("Tingkat", "Level"),
    "word.criterion": ("Kriteria", "Criterion"),
    "word.evidence": ("Bukti dukung yang diharapkan", "Evidence expected"),
    "word.scale": ("Skala", "Scale"),
    "word.indicators": ("indikator", "indicators"),
    "word.indicator": ("Indikator", "Indicator"),
    "word.code": ("Kode", "Code"),
    "fw.title": ("Kerangka Penilaian", "Assessment frameworks"),
    "fw.choose": ("Pilih kerangka", "Choose a framework"),
    "fw.search": ("Cari indikator", "Search indicators"),
    "fw.bands": ("Pita predikat", "Predicate bands"),
    "fw.rounding.round2": (
        "Predikat dari indeks yang dibulatkan 2 desimal",
        "Predicate from the index rounded to 2 decimals",
    ),
    "fw.rounding.raw": ("Predikat dari indeks tanpa pembulatan", "Predicate from the unrounded index"),
    "fw.national_index": ("Diisi dari indeks nasional", "Fed by a national index"),
    "fw.effective": ("Berlaku", "In force"),
    "fw.no_match": ("Tidak ada indikator yang cocok.", "No indicator matches."),
    "nav.login": ("Masuk", "Sign in"),
    "nav.assessment": ("Penilaian Mandiri", "Self-assessment"),
    "nav.verification": ("Verifikasi", "Verification"),
    "nav.users": ("Pengguna", "Users"),
    "nav.audit": ("Riwayat Perubahan", "Change history"),
    "nav.overview": ("Ikhtisar", "Overview"),
    "nav.work": ("Pekerjaan", "Work"),
    "role.operator": ("Operator instansi", "Agency operator"),
    "role.coordinator": ("Koordinator SPBE", "SPBE coordinator"),
    "role.reviewer": ("Asesor kementerian", "Ministry reviewer"),
    "role.admin": ("Administrator", "Administrator"),
    "auth.title": ("Masuk", "Sign in"),
    "auth.username": ("Nama pengguna", "Username"),
    "auth.password": ("Kata sandi", "Password"),
    "auth.submit": ("Masuk", "Sign in"),
    "auth.logout": ("Keluar", "Sign out"),
    "auth.welcome": ("Berhasil masuk. Mengalihkan...", "Signed in. Redirecting..."),
    "auth.expired": (
        "Tautan masuk kedaluwarsa; silakan masuk lagi.",
        "The sign-in link expired; please sign in again.",
    ),
    "auth.hint": (
        "Sesi berakhir setelah tidak aktif; akun terkunci sementara setelah 5 kali gagal.",
        "Sessions end after inactivity; an account locks for a while after 5 failed attempts.",
    ),
    "auth.continue": ("Lanjutkan", "Continue"),
    "as.title": ("Penilaian Mandiri", "Self-assessment"),
    "as.period": ("Periode", "Period"),
    "as.agency": ("Instansi", "Agency"),
    "as.start": ("Mulai penilaian periode ini", "Start this period's assessment"),
    "as.none": (
        "Instansi ini belum membuka penilaian untuk periode ini.",
        "This agency has not opened an assessment for this period.",
    ),
    "as.status": ("Status", "Status"),
    "as.progress": ("{filled} dari {total} indikator terisi", "{filled} of {total} indicators filled"),
    "as.would_be": ("Indeks jika diverifikasi apa adanya", "Index if verified as it stands"),
    "as.missing_n": ("{n} indikator belum diisi", "{n} indicators not filled yet"),
    "as.final": ("Hasil verifikasi", "Verified result"),
    "as.pick": ("Indikator", "Indicator"),
    "as.level": ("Tingkat kematangan", "Maturity level"),
    "as.justification": ("Penjelasan", "Justification"),
    "as.justification_help": (
        "Tulis faktanya dulu (nama dokumen, nomor, pasal, halaman), lalu analisisnya: mengapa kriteria "
        "tingkat yang dipilih terpenuhi.",
        "Write the facts first (document name, number, article, page), then the analysis: why the chosen "
        "level's criteria are met.",
    ),
    "as.na": ("Tidak berlaku bagi instansi ini", "Not applicable to this agency"),
    "as.expected": (
        "Bukti dukung yang diharapkan untuk tingkat {level}",
        "Evidence expected for level {level}",
    ),
    "as.ni_value": ("Nilai {name}", "{name} value"),
    "as.ni_source": ("Sumber nilai", "Source of the value"),
    "as.ni_date": ("Tanggal dibaca", "Date read"),
    "as.ni_proposed": (
        "Usulan tingkat dari pita {name}: {level}. Tingkat yang Anda pilih tetap terpisah.",
        "Level proposed by the {name} bands: {level}. The level you choose stays separate.",
    ),
    "as.ni_none": ("Nilai ini tidak masuk pita mana pun.", "This value falls in no band."),
    "as.evidence": ("Data dukung", "Supporting evidence"),
    "as.upload": ("Unggah dokumen (PDF, dokumen kantor, gambar)", "Upload a document (PDF, office, image)"),
    "as.upload_button": ("Unggah", "Upload"),
    "as.link": ("Tautan", "Link"),
    "as.link_button": ("Tambah tautan", "Add link"),
    "as.reuse": ("Pakai dokumen yang sudah ada", "Reuse an existing document"),
    "as.reuse_button": ("Lampirkan", "Attach"),
    "as.detach": ("Lepas", "Remove"),
    "as.saved": ("Tersimpan", "Saved"),
    "as.reload": ("Muat ulang", "Reload"),
    "as.submit": ("Ajukan ke kementerian", "Submit to the ministry"),
    "as.submit_help": (
        "Hanya Koordinator SPBE; setelah diajukan, isian terkunci kecuali dikembalikan.",
        "Coordinator only; once submitted, entries lock unless returned.",
    ),
    "as.submitted": ("Penilaian diajukan.", "Assessment submitted."),
    "as.readonly": (
        "Hanya baca: penilaian ini tidak dapat Anda ubah pada statusnya sekarang.",
        "Read-only: you cannot change this assessment in its current status.",
    ),
    "as.returned": ("Dikembalikan untuk perbaikan", "Returned for revision"),
    "as.overview": ("Ringkasan indikator", "Indicators at a glance"),
    "as.reviewer_note": ("Catatan asesor", "Reviewer's note"),
    "rv.title": ("Verifikasi", "Verification"),
    "rv.queue": ("Antrean penilaian", "Assessment queue"),
    "rv.empty": ("Tidak ada penilaian yang menunggu verifikasi.", "No assessment is waiting for review."),
    "rv.pick": ("Pilih penilaian", "Choose an assessment"),
    "rv.age": ("Umur (hari)", "Age (days)"),
    "rv.start": ("Mulai verifikasi", "Start review"),
    "rv.stage": ("Tahap", "Stage"),
    "rv.stage_save": ("Pindah ke tahap ini", "Move to this stage"),
    "rv.save": ("Simpan tingkat final dan catatan", "Save final levels and notes"),
    "rv.return_note": ("Catatan pengembalian untuk instansi", "Return note for the agency"),
    "rv.return": ("Kembalikan untuk perbaikan", "Return for revision"),
    "rv.finalize": ("Tetapkan hasil akhir", "Finalize"),
    "rv.copy_self": (
        "Isi {n} tingkat final yang kosong dengan tingkat mandiri",
        "Fill {n} empty final levels with the self levels",
    ),
    "rv.finalized": ("Hasil akhir ditetapkan.", "Result finalized."),
    "rv.self": ("Tingkat mandiri", "Self level"),
    "rv.final": ("Tingkat final", "Final level"),
    "rv.note": ("Catatan", "Note"),
    "rv.detail": ("Rincian indikator", "Indicator detail"),
    "stage.document": ("Penilaian dokumen", "Document review"),
    "stage.interview": ("Interviu", "Interview"),
    "stage.visit": ("Visitasi", "Site visit"),
    "stage.final": ("Final", "Final"),
    "au.title": ("Riwayat Perubahan", "Change history"),
    "au.caption": (
        "Catatan audit hanya bisa ditambah, tidak bisa diubah atau dihapus oleh peran apa pun.",
        "The audit log can only grow: no role can change or delete it.",
    ),
    "au.when": ("Waktu", "When"),
    "au.who": ("Oleh", "By"),
    "au.action": ("Tindakan", "Action"),
    "au.field": ("Isian", "Field"),
    "au.old": ("Nilai lama", "Old value"),
    "au.new": ("Nilai baru", "New value"),
    "au.empty": ("Belum ada riwayat.", "No history yet."),
    "nav.excel": ("Impor & Ekspor", "Import & export"),
    "xl.title": ("Impor & Ekspor Excel", "Excel import & export"),
    "xl.download": ("Unduh", "Download"),
    "xl.template": ("Templat penilaian (XLSX)", "Assessment template (XLSX)"),
    "xl.export_csv": ("Ekspor penilaian (CSV)", "Assessment export (CSV)"),
    "xl.matrix": ("Matriks nasional (XLSX)", "National matrix (XLSX)"),
    "xl.published_template": ("Templat hasil terbit", "Published results template"),
    "xl.upload": ("Unggah dan periksa", "Upload and check"),
    "xl.targets": ("Target peta rencana (XLSX)", "Roadmap targets (XLSX)"),
    "xl.targets_csv": ("Target peta rencana (CSV)", "Roadmap targets (CSV)"),
    "xl.agencies": ("Daftar instansi (XLSX)", "Agency register (XLSX)"),
    "xl.upload_hint": (
        "Berkas XLSX atau CSV: penilaian, hasil terbit, target, atau daftar instansi",
        "An XLSX or CSV file: assessments, published results, targets or the agency register",
    ),
    "xl.checking": ("Memeriksa berkas...", "Checking the file..."),
    "xl.applying": ("Menerapkan...", "Applying..."),
    "xl.insert": ("Baru", "New"),
    "xl.update": ("Diubah", "Changed"),
    "xl.unchanged": ("Tetap", "Unchanged"),
    "xl.problems": ("Masalah", "Problems"),
    "xl.refused": (
        "Berkas ini tidak dapat diterapkan; perbaiki masalah di bawah lalu unggah lagi. Tidak ada "
        "yang berubah.",
        "This file cannot be applied; fix the problems below and upload again. Nothing changed.",
    ),
    "xl.nothing": ("Tidak ada perubahan dibanding data saat ini.", "Nothing differs from the current data."),
    "xl.apply": ("Terapkan semua perubahan", "Apply all changes"),
    "xl.applied": ("Diterapkan: {insert} baru, {update} diubah.", "Applied: {insert} new, {update} changed."),
    "xl.sheet": ("Lembar", "Sheet"),
    "xl.row": ("Baris", "Row"),
    "xl.column": ("Kolom", "Column"),
    "xl.reason": ("Alasan", "Reason"),
    "us.title": ("Pengguna", "Users"),
    "us.create": ("Tambah pengguna", "Add a user"),
    "us.full_name": ("Nama lengkap", "Full name"),
    "us.role": ("Peran", "Role"),
    "us.agency": ("Instansi (untuk operator dan koordinator)", "Agency (for operators and coordinators)"),
    "us.created": ("Pengguna dibuat.", "User created."),
    "us.active": ("Aktif", "Active"),
    "us.toggle": ("Aktifkan / nonaktifkan", "Activate / deactivate"),
    "us.reset": ("Atur ulang kata sandi", "Reset password"),
    "us.new_password": ("Kata sandi baru", "New password"),
    "us.done": ("Perubahan disimpan.", "Change saved."),
    "us.pick": ("Pilih pengguna", "Choose a user"),
    "us.locked": ("Terkunci sampai", "Locked until"),
}


def t(key: str, lang: str = "id", **values: object) -> str:
    indonesian, english = MESSAGES[key]
    text = english if lang == "en" else indonesian
    return text.format(**values) if values else text


def fmt_number(value: float | None, lang: str = "id", places: int = 2) -> str:
    if value is None:
        return "-"
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0", locale=LOCALES[lang])


def fmt_percent(value: float, lang: str = "id") -> str:
    return format_percent(value, format="#,##0%", locale=LOCALES[lang])


def fmt_date(value: date | datetime, lang: str = "id") -> str:
    if isinstance(value, datetime):
        return format_datetime(value, format="d MMMM y HH:mm", locale=LOCALES[lang])
    return format_date(value, format="long", locale=LOCALES[lang])
