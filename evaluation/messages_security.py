"""User-facing texts of sign-in, sessions, audit and backups (issue 11): key -> (Indonesian, English)."""

SECURITY_MESSAGES: dict[str, tuple[str, str]] = {
    # sign-in, multi-factor codes, the account security page (app_pages/login.py, account.py)
    "nav.account": ("Keamanan akun", "Account security"),
    "sec.hint": (
        "Sesi berakhir setelah tidak aktif dan paling lama {hours} jam setelah masuk; setelah 5 kali gagal, "
        "percobaan berikutnya harus menunggu sebentar.",
        "A session ends after inactivity and at most {hours} hours after signing in; after 5 failures, the "
        "next attempt has to wait a little.",
    ),
    "sec.need_cookie": (
        "Masuk memerlukan cookie. Izinkan cookie untuk situs ini, lalu muat ulang halaman.",
        "Signing in needs cookies. Allow cookies for this site, then reload the page.",
    ),
    "sec.code": ("Kode autentikator atau kode pemulihan", "Authenticator code or recovery code"),
    "sec.code_optional": ("Kode autentikator (jika diaktifkan)", "Authenticator code (if enabled)"),
    "sec.code_needed": (
        "Masukkan kode 6 angka dari aplikasi autentikator Anda, atau salah satu kode pemulihan.",
        "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
    ),
    "sec.title": ("Keamanan akun", "Account security"),
    "sec.must_enrol": (
        "Peran Anda wajib memakai verifikasi dua langkah. Aktifkan dulu sebelum membuka halaman lain.",
        "Your role must use two-step verification. Turn it on before opening any other page.",
    ),
    "sec.mfa": ("Verifikasi dua langkah (TOTP)", "Two-step verification (TOTP)"),
    "sec.mfa_on": (
        "Aktif sejak {since}. Sisa kode pemulihan: {left}.",
        "On since {since}. Recovery codes left: {left}.",
    ),
    "sec.mfa_off": ("Belum aktif.", "Not turned on."),
    "sec.scan": (
        "Pindai kode QR ini dengan aplikasi autentikator (mis. FreeOTP, Aegis, Google Authenticator), "
        "atau ketik kunci di bawahnya, lalu masukkan kode 6 angka yang ditampilkan aplikasi.",
        "Scan this QR code with an authenticator app (e.g. FreeOTP, Aegis, Google Authenticator), or "
        "type the key below it, then enter the 6-digit code the app shows.",
    ),
    "sec.secret": ("Kunci untuk dimasukkan manual", "Key for manual entry"),
    "sec.enable": ("Aktifkan", "Turn on"),
    "sec.start": ("Siapkan verifikasi dua langkah", "Set up two-step verification"),
    "sec.recovery": (
        "Simpan sepuluh kode pemulihan ini sekarang; masing-masing berlaku sekali dan tidak akan "
        "ditampilkan lagi.",
        "Keep these ten recovery codes now; each works once and they will not be shown again.",
    ),
    "sec.enabled": ("Verifikasi dua langkah aktif.", "Two-step verification is on."),
    "sec.disable": ("Matikan verifikasi dua langkah", "Turn two-step verification off"),
    "sec.disabled": (
        "Verifikasi dua langkah dimatikan; semua sesi Anda berakhir.",
        "Two-step verification is off; all your sessions have ended.",
    ),
    "sec.password": ("Ganti kata sandi", "Change password"),
    "sec.current": ("Kata sandi saat ini", "Current password"),
    "sec.new": ("Kata sandi baru", "New password"),
    "sec.repeat": ("Ulangi kata sandi baru", "Repeat the new password"),
    "sec.mismatch": ("Kedua kata sandi baru tidak sama.", "The two new passwords differ."),
    "sec.password_rules": (
        "Minimal 12 karakter, tidak memuat nama pengguna, tidak mudah ditebak; beberapa kata yang tidak "
        "umum lebih baik daripada simbol.",
        "At least 12 characters, not containing the username, not easy to guess; a few uncommon words "
        "are better than symbols.",
    ),
    "sec.changed": (
        "Kata sandi diganti; semua sesi berakhir. Silakan masuk lagi.",
        "Password changed; every session has ended. Please sign in again.",
    ),
    "us.role_change": ("Ubah peran", "Change role"),
    "us.mfa": ("2 langkah", "2-step"),
    "us.mfa_reset": ("Matikan verifikasi dua langkah", "Turn two-step verification off"),
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
