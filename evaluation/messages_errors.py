"""Texts for errors nobody expected: the short message with its incident id (app_pages/incidents.py)."""

ERRORS_MESSAGES: dict[str, tuple[str, str]] = {
    "error.incident": (
        "Terjadi kesalahan yang tidak terduga; halaman ini tidak dapat ditampilkan. "
        "Kode insiden: {incident}. Sampaikan kode ini kepada admin; rinciannya tercatat di log server.",
        "Something unexpected went wrong; this page cannot be shown. Incident id: {incident}. "
        "Give this id to the administrator; the details are in the server log.",
    ),
}
