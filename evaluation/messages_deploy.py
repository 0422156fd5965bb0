"""Texts of several servers, evidence storage and readiness (issue 14): key -> (Indonesian, English)."""

DEPLOY_MESSAGES: dict[str, tuple[str, str]] = {
    "deploy.no_users": (
        "Basis data ini belum memiliki pengguna. Administrator membuat pengguna pertama di server dengan "
        "`python -m evaluation create-user NAMA --role admin` (data demo hanya dimuat dengan SPBE_DEMO=1).",
        "This database has no users yet. An administrator creates the first one on the server with "
        "`python -m evaluation create-user NAME --role admin` (demo data load only with SPBE_DEMO=1).",
    ),
    "deploy.reloaded": (
        "Sesi Anda berpindah server; formulir dimuat ulang dari basis data sebelum perubahan disimpan.",
        "Your session moved to another server; the form was reloaded from the database before saving.",
    ),
    "deploy.evidence_missing": (
        "Berkas data dukung tidak ditemukan di penyimpanan atau isinya tidak sesuai hash-nya.",
        "The evidence file is missing from the store or does not match its hash.",
    ),
}
