"""Texts of the evaluation cycle (issue 12): objections. key -> (Indonesian, English)."""

OBJECTIONS_MESSAGES: dict[str, tuple[str, str]] = {
    "ob.nav": ("Keberatan", "Objections"),
    "ob.title": ("Keberatan atas hasil evaluasi", "Objections to evaluation results"),
    "ob.heading": ("Keberatan", "Objections"),
    "ob.window": (
        "Masa keberatan: {opens} s.d. {closes} · sisa {days} hari",
        "Objection window: {opens} to {closes} · {days} days left",
    ),
    "ob.window_from_final": ("sejak hasil final", "from the final result"),
    "ob.window_closed": (
        "Masa keberatan berakhir pada {closes}.",
        "The objection window closed on {closes}.",
    ),
    "ob.window_unset": (
        "Kementerian belum menetapkan batas waktu keberatan untuk periode ini.",
        "The ministry has not set an objection window for this period.",
    ),
    "ob.file_heading": ("Ajukan keberatan", "File an objection"),
    "ob.file_help": (
        "Satu keberatan per indikator, diputus oleh ketua tim asesor. Sebutkan alasannya dan, bila ada, "
        "tingkat yang Anda minta serta dokumen pendukung dari dokumen instansi.",
        "One objection per indicator, decided by the lead reviewer. Give the reason and, where you have "
        "them, the level you ask for and a supporting document from the agency's documents.",
    ),
    "ob.indicator": ("Indikator", "Indicator"),
    "ob.reason": ("Alasan keberatan", "Reason for the objection"),
    "ob.requested": ("Tingkat yang diminta (opsional)", "Requested level (optional)"),
    "ob.no_level": ("— tidak disebutkan —", "— not stated —"),
    "ob.evidence": ("Dokumen pendukung (opsional)", "Supporting document (optional)"),
    "ob.no_evidence": ("— tanpa dokumen —", "— no document —"),
    "ob.submit": ("Ajukan keberatan", "File the objection"),
    "ob.filed": ("Keberatan atas {code} diajukan.", "Objection to {code} filed."),
    "ob.all_filed": (
        "Setiap indikator yang memiliki tingkat final sudah diajukan keberatan.",
        "Every indicator with a final level already has an objection.",
    ),
    "ob.list": ("Keberatan yang diajukan", "Objections filed"),
    "ob.none": ("Belum ada keberatan.", "No objections yet."),
    "ob.col.agency": ("Instansi", "Agency"),
    "ob.col.code": ("Indikator", "Indicator"),
    "ob.col.status": ("Status", "Status"),
    "ob.col.requested": ("Diminta", "Requested"),
    "ob.col.reason": ("Alasan", "Reason"),
    "ob.col.filed_at": ("Diajukan", "Filed"),
    "ob.col.decision": ("Keputusan", "Decision"),
    "ob.col.before": ("Sebelum", "Before"),
    "ob.col.after": ("Sesudah", "After"),
    "ob.col.decided_at": ("Diputus", "Decided"),
    "ob.col.decided_by": ("Oleh", "By"),
    "ob.status.pending": ("Menunggu keputusan", "Awaiting decision"),
    "ob.status.upheld": ("Dikabulkan", "Upheld"),
    "ob.status.rejected": ("Ditolak", "Rejected"),
    "ob.changed": (
        "{code}: tingkat final berubah {before} → {after} karena keberatan dikabulkan ({date}).",
        "{code}: final level changed {before} → {after} on an upheld objection ({date}).",
    ),
    "ob.changed_heading": ("Hasil berubah karena keberatan", "Result changed on objection"),
    # the lead reviewer's page
    "ob.queue_intro": (
        "Keberatan yang menunggu keputusan; keberatan instansi yang Anda pimpin tampil lebih dulu. Hanya "
        "ketua tim asesor instansi tersebut yang dapat memutus.",
        "Objections awaiting a decision; those of agencies you lead come first. Only the lead reviewer of "
        "the agency decides.",
    ),
    "ob.queue_empty": ("Tidak ada keberatan yang menunggu keputusan.", "No objection awaits a decision."),
    "ob.yours": ("Anda ketua tim", "You lead"),
    "ob.not_lead": (
        "Anda bukan ketua tim asesor instansi ini; hanya ketua yang dapat memutus.",
        "You do not lead this agency's review; only the lead reviewer decides.",
    ),
    "ob.no_lead": (
        "Belum ada ketua tim asesor untuk instansi ini; admin perlu menetapkannya.",
        "No lead reviewer is assigned to this agency yet; an admin assigns one.",
    ),
    "ob.current": ("Tingkat final sekarang", "Current final level"),
    "ob.requested_short": ("Tingkat yang diminta", "Requested level"),
    "ob.filed_by": ("Diajukan oleh {who} · {when}", "Filed by {who} · {when}"),
    "ob.decision": ("Keputusan", "Decision"),
    "ob.uphold": ("Kabulkan", "Uphold"),
    "ob.reject": ("Tolak", "Reject"),
    "ob.new_level": ("Tingkat final baru", "New final level"),
    "ob.decision_reason": ("Alasan keputusan", "Reason for the decision"),
    "ob.next": ("Lanjutkan ke konfirmasi", "Continue to confirmation"),
    "ob.confirm_uphold": (
        "Mengabulkan mengubah {code} dari {before} menjadi {after}. Indeks: {index_before} "
        "({predicate_before}) → {index_after} ({predicate_after}).",
        "Upholding changes {code} from {before} to {after}. Index: {index_before} ({predicate_before}) → "
        "{index_after} ({predicate_after}).",
    ),
    "ob.confirm_reject": (
        "Menolak tidak mengubah tingkat maupun indeks ({index_before}, {predicate_before}).",
        "Rejecting changes neither the level nor the index ({index_before}, {predicate_before}).",
    ),
    "ob.confirm": ("Ya, simpan keputusan", "Yes, save the decision"),
    "ob.cancel": ("Batal", "Cancel"),
    "ob.decided": ("Keberatan {code} · {agency}: {decision}.", "Objection {code} · {agency}: {decision}."),
    "ob.decided_list": ("Keberatan yang sudah diputus", "Objections decided"),
}
