"""Texts of the evaluation cycle (issue 12): stages. key -> (Indonesian, English)."""

STAGES_MESSAGES: dict[str, tuple[str, str]] = {
    # the header of the verification page
    "sg.reviewing": ("Sedang diverifikasi", "Under review"),
    "sg.header_meta": (
        "{code} · {category} · {year} · {framework}",
        "{code} · {category} · {year} · {framework}",
    ),
    "sg.period": ("Periode", "Period"),
    # stage steps
    "sg.steps": ("Tahapan verifikasi", "Review stages"),
    "sg.state_done": ("Selesai", "Done"),
    "sg.state_current": ("Tahap sekarang", "Current stage"),
    "sg.state_todo": ("Belum", "To do"),
    "sg.state_skipped": ("Dilewati", "Skipped"),
    "sg.optional": ("opsional", "optional"),
    "sg.required": ("wajib", "required"),
    "sg.needs_final_levels": ("Perlu: tingkat final setiap indikator", "Needs: a final level per indicator"),
    "sg.needs_minute_with_findings": (
        "Perlu: berita acara interviu dengan temuan",
        "Needs: an interview minute with findings",
    ),
    "sg.needs_minute": ("Perlu: berita acara visitasi", "Needs: a site visit minute"),
    "sg.missing_final_levels": (
        "{n} indikator belum bertingkat final",
        "{n} indicators have no final level yet",
    ),
    "sg.missing_minute": ("Berita acara {stage} belum dibuat", "The {stage} minute is not written yet"),
    "sg.missing_findings": ("Berita acara belum memuat temuan", "The minute records no findings yet"),
    "sg.ready": ("Lengkap", "Complete"),
    # confirmations
    "sg.confirm_title": ("Periksa sebelum melanjutkan", "Check before you go on"),
    "sg.confirm_cancel": ("Batal", "Cancel"),
    "sg.finalize_confirm": ("Ya, tetapkan hasil akhir", "Yes, finalize"),
    "sg.finalize_what": (
        "Hasil akhir {agency} ({year}) ditetapkan dari tingkat final dan dipublikasikan; penilaian menjadi "
        "hanya baca dan koordinator instansi diberi tahu.",
        "The final result of {agency} ({year}) is set from the final levels and published; the assessment "
        "becomes read-only and the agency's coordinators are notified.",
    ),
    "sg.return_confirm": ("Ya, kembalikan ke instansi", "Yes, return to the agency"),
    "sg.return_what": (
        "Penilaian {agency} ({year}) dikembalikan ke koordinator dan operator instansi untuk diperbaiki, "
        "dengan catatan berikut:",
        "The assessment of {agency} ({year}) goes back to the agency's coordinators and operators for "
        "revision, with this note:",
    ),
    "sg.return_no_note": ("(belum ada catatan)", "(no note yet)"),
    "sg.submit_confirm": ("Ya, ajukan ke kementerian", "Yes, submit to the ministry"),
    "sg.submit_what": (
        "Penilaian {agency} ({year}) diajukan ke asesor kementerian untuk diverifikasi; setelah diajukan "
        "isian tidak dapat diubah sampai dikembalikan.",
        "The assessment of {agency} ({year}) goes to the ministry's reviewers for verification; once "
        "submitted it cannot be changed until it is returned.",
    ),
    "sg.result_final": ("Indeks dari tingkat final", "Index from the final levels"),
    "sg.result_self": ("Indeks penilaian mandiri", "Self-assessed index"),
    "sg.result_incomplete": ("belum lengkap ({n} kurang)", "incomplete ({n} missing)"),
    "sg.count_filled": ("Indikator terisi", "Indicators filled"),
    "sg.count_final": ("Tingkat final", "Final levels"),
    "sg.count_notes": ("Catatan asesor", "Reviewer notes"),
    "sg.count_questions": ("Pertanyaan terbuka", "Open questions"),
    "sg.count_evidence": ("Indikator dengan bukti", "Indicators with evidence"),
    "sg.of_total": ("{n} dari {total}", "{n} of {total}"),
    # the finished result
    "sg.finished": ("Hasil akhir ditetapkan", "Final result set"),
    "sg.groups": ("Indeks per domain dan aspek", "Index per domain and aspect"),
    "sg.group": ("Domain/aspek", "Domain/aspect"),
    "sg.kind": ("Jenis", "Kind"),
    "sg.kind_domain": ("Domain", "Domain"),
    "sg.kind_aspect": ("Aspek", "Aspect"),
    "sg.back_to_queue": ("Kembali ke antrean", "Back to the queue"),
    # stage minutes
    "sg.minutes": ("Berita acara", "Minutes"),
    "sg.minute_of": ("Berita acara {stage}", "{stage} minute"),
    "sg.minute_none": ("Belum ada berita acara.", "No minute yet."),
    "sg.minute_not_yet": (
        "Berita acara {stage} dapat ditulis setelah penilaian sampai pada tahap itu.",
        "The {stage} minute can be written once the assessment reaches that stage.",
    ),
    "sg.held_on": ("Tanggal pelaksanaan", "Date held"),
    "sg.place": ("Tempat", "Place"),
    "sg.participants": ("Peserta", "Participants"),
    "sg.participants_help": (
        "Satu orang per baris: nama, jabatan, instansi.",
        "One person per line: name, position, agency.",
    ),
    "sg.findings": ("Temuan per indikator", "Findings per indicator"),
    "sg.finding": ("Temuan", "Finding"),
    "sg.agreed": ("Perubahan yang disepakati", "Agreed changes"),
    "sg.minute_save": ("Simpan berita acara", "Save the minute"),
    "sg.minute_saved": ("Berita acara disimpan.", "Minute saved."),
    "sg.minute_reload": (
        "Muat berita acara terbaru (isian saya dibuang)",
        "Load the newest minute (drop mine)",
    ),
    "sg.minute_pdf": ("Cetak berita acara (PDF)", "Print the minute (PDF)"),
    "sg.written_by": ("Ditulis oleh {name}, {when}", "Written by {name}, {when}"),
    # the printed minute
    "sg.pdf_title": ("Berita Acara {stage}", "Minute of the {stage}"),
    "sg.pdf_kicker": ("Evaluasi {framework}", "{framework} evaluation"),
    "sg.pdf_footer": ("Berita acara {stage} · {agency} · {year}", "{stage} minute · {agency} · {year}"),
    "sg.pdf_none": ("Tidak ada.", "None."),
    "sg.pdf_signed": (
        "Berita acara ini dibuat dengan sebenarnya dan ditandatangani oleh para peserta.",
        "This minute is a true record and is signed by the participants.",
    ),
    "sg.pdf_signature": ("Tanda tangan", "Signature"),
}
