"""User-facing texts of saving conflicts: a refused save keeps the person's input (issue 10).

key -> (Indonesian, English)."""

CONFLICTS_MESSAGES: dict[str, tuple[str, str]] = {
    "cf.refused": (
        "{code} baru saja disimpan oleh {who} pada {when}. Isian Anda belum tersimpan dan tetap ada; "
        "bandingkan lalu pilih.",
        "{code} was just saved by {who} at {when}. Your input is not saved yet and is kept; compare and "
        "choose.",
    ),
    "cf.someone": ("pengguna lain", "someone else"),
    "cf.unknown_time": ("waktu tidak diketahui", "an unknown time"),
    "cf.field": ("Isian", "Field"),
    "cf.yours": ("Isian Anda", "Your input"),
    "cf.theirs": ("Versi terbaru", "Newest version"),
    "cf.empty": ("(kosong)", "(empty)"),
    "cf.keep_mine": ("Simpan milik saya", "Keep mine"),
    "cf.take_theirs": ("Ambil versi terbaru", "Take theirs"),
    "cf.kept": (
        "Isian Anda disimpan di atas versi terbaru: {code}",
        "Your input was saved over the newest version: {code}",
    ),
    "cf.taken": ("Versi terbaru dipakai: {code}", "The newest version is used: {code}"),
    "cf.grid_refused": (
        "Simpanan ditolak: {codes} diubah orang lain sejak Anda membuka tabel. Isian Anda di tabel tetap "
        "ada; tidak ada yang tersimpan.",
        "Save refused: {codes} changed since you opened the table. Your edits in the table are kept; "
        "nothing was saved.",
    ),
    "cf.grid_take_help": (
        "Versi terbaru dipakai untuk indikator yang bentrok; perubahan Anda yang lain disimpan.",
        "The newest version is used for the clashing indicators; your other changes are saved.",
    ),
    "cf.ev_refused": (
        "{code} baru saja diubah oleh {who} pada {when}; perubahan data dukung Anda ({what}) belum "
        "tersimpan. Isian terbaru sudah tampil; coba lagi atau batalkan.",
        "{code} was just changed by {who} at {when}; your evidence change ({what}) is not saved yet. The "
        "newest entries are shown; try again or drop it.",
    ),
    "cf.ev_upload": ("unggah berkas", "upload a file"),
    "cf.ev_link": ("tambah tautan", "add a link"),
    "cf.ev_reuse": ("pakai dokumen", "reuse a document"),
    "cf.ev_detach": ("lepas", "remove"),
    "cf.ev_retry": ("Coba lagi", "Try again"),
    "cf.ev_drop": ("Batalkan perubahan ini", "Drop this change"),
    "cf.yes": ("Ya", "Yes"),
    "cf.no": ("Tidak", "No"),
}
