"""Texts of the evaluation cycle (issue 12): periods_admin. key -> (Indonesian, English)."""

PERIODS_ADMIN_MESSAGES: dict[str, tuple[str, str]] = {
    "pa.nav": ("Periode & instansi", "Periods & agencies"),
    "pa.title": ("Periode & instansi", "Periods & agencies"),
    "pa.tab_periods": ("Periode", "Periods"),
    "pa.tab_agencies": ("Instansi", "Agencies"),
    # the list of periods
    "pa.col_period": ("Periode", "Period"),
    "pa.col_type": ("Jenis evaluasi", "Evaluation type"),
    "pa.col_status": ("Status", "Status"),
    "pa.col_stages": ("Tahap wajib", "Required stages"),
    "pa.col_assessments": ("Penilaian", "Assessments"),
    "pa.opens_on": ("Dibuka", "Opens"),
    "pa.self_assessment_closes_on": ("Penilaian mandiri ditutup", "Self-assessment closes"),
    "pa.verification_ends_on": ("Verifikasi selesai", "Verification ends"),
    "pa.objections_close_on": ("Sanggah ditutup", "Objections close"),
    "pa.required_stages": ("Tahap wajib", "Required stages"),
    "pa.programme": ("program", "programme"),
    "pa.type_pemantauan": ("Pemantauan", "Monitoring"),
    "pa.type_evaluasi": ("Evaluasi", "Evaluation"),
    "pa.type_pemdi": ("Pemdi", "Pemdi"),
    "pa.stage_document": ("Penilaian dokumen", "Document review"),
    "pa.stage_interview": ("Penilaian interviu", "Interview"),
    "pa.stage_visit": ("Visitasi", "Site visit"),
    # creating a period
    "pa.create": ("Buat periode", "Create a period"),
    "pa.create_help": (
        "Periode baru langsung berjalan: instansi dapat membuka penilaiannya. Tanggal boleh dikosongkan; "
        "yang diisi harus berurutan: dibuka, penilaian mandiri ditutup, verifikasi selesai, sanggah ditutup.",
        "A new period is open at once: agencies can open their assessments in it. Dates may be left empty; "
        "those given must follow in order: opens, self-assessment closes, verification ends, "
        "objections close.",
    ),
    "pa.year": ("Tahun", "Year"),
    "pa.framework": ("Kerangka", "Framework"),
    "pa.version": ("Versi kerangka", "Framework version"),
    "pa.stages_help": (
        "Penilaian dokumen selalu wajib; tahap lain hanya yang dimiliki jenis evaluasinya.",
        "The document review is always required; other stages only those of the evaluation type.",
    ),
    "pa.created": ("Periode {period} dibuat dan berjalan.", "Period {period} created and open."),
    # changing the schedule
    "pa.schedule": ("Ubah jadwal", "Change the schedule"),
    "pa.schedule_pick": ("Periode yang berjalan", "Open period"),
    "pa.schedule_save": ("Simpan jadwal", "Save the schedule"),
    "pa.schedule_saved": ("Jadwal disimpan ({n} isian berubah).", "Schedule saved ({n} fields changed)."),
    "pa.no_open": (
        "Tidak ada periode yang berjalan; jadwal periode yang ditutup tidak dapat diubah.",
        "No period is open; a closed period's schedule cannot be changed.",
    ),
    # closing and reopening
    "pa.status": ("Tutup atau buka kembali", "Close or reopen"),
    "pa.status_pick": ("Periode", "Period"),
    "pa.close": ("Tutup periode ini…", "Close this period…"),
    "pa.reopen": ("Buka kembali periode ini…", "Reopen this period…"),
    "pa.close_what": (
        "Periode **{period}** akan ditutup: **{n}** penilaian menjadi hanya-baca bagi semua pengguna "
        "sampai admin membukanya kembali, dan instansi tidak dapat membuka penilaian baru di periode ini.",
        "Period **{period}** will be closed: **{n}** assessments become read-only for everyone until an "
        "admin reopens it, and agencies cannot open new assessments in it.",
    ),
    "pa.reopen_what": (
        "Periode **{period}** akan dibuka kembali: **{n}** penilaian dapat diubah lagi sesuai statusnya.",
        "Period **{period}** will be reopened: **{n}** assessments can be changed again as their status "
        "allows.",
    ),
    "pa.confirm_close": ("Ya, tutup periode", "Yes, close the period"),
    "pa.confirm_reopen": ("Ya, buka kembali", "Yes, reopen it"),
    "pa.cancel": ("Batal", "Cancel"),
    "pa.closed_done": ("Periode {period} ditutup.", "Period {period} closed."),
    "pa.reopened_done": ("Periode {period} dibuka kembali.", "Period {period} reopened."),
    # the agency register
    "pa.search": ("Cari kode, nama atau provinsi", "Search code, name or province"),
    "pa.shown": ("{n} dari {total} instansi", "{n} of {total} agencies"),
    "pa.code": ("Kode", "Code"),
    "pa.name": ("Nama instansi", "Agency name"),
    "pa.category": ("Kategori", "Category"),
    "pa.subcategory": ("Subkategori", "Subcategory"),
    "pa.province": ("Provinsi", "Province"),
    "pa.parent": ("Induk", "Parent"),
    "pa.parent_help": (
        "Kabupaten dan kota: provinsinya.",
        "Regencies and cities: their province.",
    ),
    "pa.active": ("Aktif", "Active"),
    "pa.add": ("Tambah instansi", "Add an agency"),
    "pa.added": ("Instansi {code} ditambahkan.", "Agency {code} added."),
    "pa.edit": ("Ubah instansi", "Edit an agency"),
    "pa.pick": ("Instansi", "Agency"),
    "pa.edit_save": ("Simpan perubahan", "Save the changes"),
    "pa.edited": ("Instansi {code} diperbarui ({n} isian).", "Agency {code} updated ({n} fields)."),
    "pa.deactivate": ("Nonaktifkan instansi ini…", "Deactivate this agency…"),
    "pa.reactivate": ("Aktifkan kembali instansi ini…", "Reactivate this agency…"),
    "pa.deactivate_what": (
        "**{agency}** akan dinonaktifkan: instansi ini tidak dapat membuka penilaian baru dan hilang dari "
        "daftar pilihan; **{n}** penilaian beserta riwayatnya tetap tersimpan.",
        "**{agency}** will be deactivated: it cannot open new assessments and leaves the pickers; its "
        "**{n}** assessments and their history are kept.",
    ),
    "pa.reactivate_what": (
        "**{agency}** akan diaktifkan kembali: dapat membuka penilaian baru dan muncul lagi di daftar "
        "pilihan.",
        "**{agency}** will be reactivated: it can open new assessments and shows in the pickers again.",
    ),
    "pa.confirm_deactivate": ("Ya, nonaktifkan", "Yes, deactivate"),
    "pa.confirm_reactivate": ("Ya, aktifkan kembali", "Yes, reactivate"),
    "pa.deactivated": ("Instansi {code} dinonaktifkan.", "Agency {code} deactivated."),
    "pa.reactivated": ("Instansi {code} diaktifkan kembali.", "Agency {code} reactivated."),
}
