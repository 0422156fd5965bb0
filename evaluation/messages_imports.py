"""User-facing texts of Excel imports and exports: three-way rule, previews, the export command
(issue 10): key -> (Indonesian, English)."""

IMPORTS_MESSAGES: dict[str, tuple[str, str]] = {
    # the assessment preview: each changed cell, conflicts and the user's choice per row
    "xo.conflicts": ("Konflik", "Conflicts"),
    "xo.skipped": ("Dilewati", "Skipped"),
    "xo.changes": ("Perubahan per sel", "Changes cell by cell"),
    "xo.what": ("Data", "Record"),
    "xo.field": ("Isian", "Field"),
    "xo.old": ("Sekarang", "Now"),
    "xo.new": ("Menjadi", "Becomes"),
    "xo.conflicts_title": (
        "Konflik: diubah di berkas dan juga di aplikasi",
        "Conflicts: changed in the file and in the app",
    ),
    "xo.conflicts_hint": (
        "Sejak berkas dibuat, sel ini diubah juga di aplikasi. Pilih per baris nilai mana yang dipakai; "
        "tanpa pilihan tidak ada yang diterapkan.",
        "Since the file was made, these cells were changed in the app too. Choose per row which value "
        "stays; without a choice nothing is applied.",
    ),
    "xo.file_value": ("Nilai berkas", "File's value"),
    "xo.db_value": ("Nilai basis data", "Database's value"),
    "xo.changed_by": ("Diubah oleh", "Changed by"),
    "xo.changed_at": ("Waktu (UTC)", "When (UTC)"),
    "xo.choice": ("Pakai", "Keep"),
    "xo.choose_all": ("Untuk semua konflik", "For every conflict"),
    "xo.per_row": ("pilih per baris", "choose per row"),
    "xo.keep_file": ("nilai berkas", "the file's value"),
    "xo.keep_db": ("nilai basis data", "the database's value"),
    "xo.unresolved": (
        "{count} baris berkonflik belum dipilih; pilih nilai berkas atau basis data untuk setiap baris.",
        "{count} conflicting rows have no choice yet; choose the file's or the database's value for each.",
    ),
    "xo.recheck": ("Periksa ulang terhadap data saat ini", "Check again against the current data"),
    "xo.refused_list": (
        "Impor ditolak, tidak ada yang berubah: {count} masalah di bawah.",
        "Import refused, nothing changed: {count} problems below.",
    ),
}
