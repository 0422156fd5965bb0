"""User-facing texts of programmes on the founding framework and its bridge to the official index
(issue 16): key -> (Indonesian, English)."""

PROGRAMMES_MESSAGES: dict[str, tuple[str, str]] = {
    # the home page: framework family
    "pg.family": ("Kelompok kerangka", "Framework family"),
    "pg.family_official": ("Resmi (SPBE/Pemdi)", "Official (SPBE/Pemdi)"),
    "pg.family_programme": ("Program (Dari Visi ke Evaluasi)", "Programme (From vision to evaluation)"),
    "pg.none": (
        "Belum ada periode program pada kerangka pendiri.",
        "There is no programme period on the founding framework yet.",
    ),
    "pg.period": ("Periode program", "Programme period"),
    "pg.period_label": (
        "{year} · {framework} · program {runner}",
        "{year} · {framework} · {runner} programme",
    ),
    "pg.runner.ministry": ("kementerian", "ministry"),
    "pg.runner.province": ("provinsi", "province"),
    "pg.runner.agency": ("instansi", "agency"),
    "pg.run_by": ("Dijalankan oleh: {runner}", "Run by: {runner}"),
    "pg.verified": (
        "Hasil diverifikasi oleh penilai penyelenggara program.",
        "Results are verified by the programme runner's reviewers.",
    ),
    "pg.self_only": (
        "Hasil penilaian mandiri saja (tidak diverifikasi).",
        "Self-assessed results only (not verified).",
    ),
    "pg.agencies": ("Instansi dalam program", "Agencies in the programme"),
    "pg.not_applicable": ("Indikator N/A", "N/A indicators"),
    "pg.stuck": ("Langkah yang paling sering tertinggal", "The step most agencies are stuck on"),
    "pg.stuck_help": (
        "Langkah dengan nilai terendah pada tiap instansi, dihitung per instansi.",
        "The lowest-valued step of each agency, counted over agencies.",
    ),
    "pg.stuck_count": ("{n} instansi", "{n} agencies"),
    "pg.radar": ("Sepuluh langkah: capaian terhadap target", "The ten steps against targets"),
    "pg.verified_mean": ("Rata-rata terverifikasi", "Verified mean"),
    "pg.self_mean": ("Rata-rata penilaian mandiri", "Self-assessed mean"),
    "pg.target_mean": ("Target {horizon} (rata-rata)", "{horizon} target (mean)"),
    "pg.horizon_title": ("Kemajuan per jangka target indeks", "Progress per index-target horizon"),
    "pg.horizon_agencies": ("Instansi bertarget", "Agencies with a target"),
    "pg.horizon_reached": ("Sudah tercapai", "Reached"),
    "pg.horizon_share": ("Rata-rata jarak tempuh", "Mean share of the way"),
    "pg.step": ("Langkah", "Step"),
    "pg.agency_count": ("Jumlah instansi", "Agencies"),
    # the roadmap page: the bridge
    "pg.bridge_title": ("Jembatan ke indeks resmi", "The bridge to the official index"),
    "pg.bridge_caption": (
        "Tiap langkah kerangka pendiri menyiapkan indikator resmi {official}; tabel ini menunjukkan "
        "indikator resmi yang digerakkan oleh langkah yang direncanakan (bertarget atau berkegiatan).",
        "Each founding step prepares {official} official indicators; this table shows the official "
        "indicators moved by the planned steps (with a target or an activity).",
    ),
    "pg.bridge_none": (
        "Belum ada langkah yang direncanakan: tambahkan target atau kegiatan pada sebuah langkah.",
        "No step is planned yet: add a target or an activity on a step.",
    ),
    "pg.moves": ("Indikator resmi yang digerakkan", "Official indicators it moves"),
    "pg.official_framework": ("Kerangka resmi", "Official framework"),
    "pg.whatif_title": (
        "Simulasi melalui jembatan: indeks resmi yang didukung",
        "What-if through the bridge: the official index it supports",
    ),
    "pg.assumption": (
        "Asumsi: menaikkan indikator kerangka pendiri ke tingkat L mendukung indikator resmi yang "
        "disiapkannya hingga tingkat L; tingkat resmi tidak pernah diturunkan, dan indikator yang tidak "
        "diubah tidak berpengaruh. Ini perkiraan untuk perencanaan, bukan hasil: tingkat resmi hanya berasal "
        "dari evaluasi resmi.",
        "Assumption: raising a founding indicator to level L supports the official indicators it prepares "
        "up to level L; an official level is never lowered, and indicators left as they are change nothing. "
        "This is a planning estimate, not a result: official levels come only from the official evaluation.",
    ),
    "pg.no_official": (
        "Belum ada tingkat resmi lengkap ({official}) untuk instansi ini; simulasi jembatan memerlukannya.",
        "This agency has no complete official levels ({official}) yet; the bridge what-if needs them.",
    ),
    "pg.no_founding": (
        "Belum ada tingkat kerangka pendiri untuk instansi ini.",
        "This agency has no founding-framework levels yet.",
    ),
    "pg.levels_from": (
        "Mulai dari tingkat {official} {official_year} dan tingkat kerangka pendiri {founding_year}.",
        "Starting from the {official} levels of {official_year} and the founding levels of {founding_year}.",
    ),
    "pg.official_now": ("Indeks resmi sekarang", "Official index now"),
    "pg.official_then": ("Indeks resmi yang didukung", "Official index supported"),
    "pg.expected_moves": ("Indikator resmi yang naik", "Official indicators raised"),
    "pg.level_change": ("Tingkat", "Level"),
    "pg.best_title": (
        "Langkah mana lebih dulu untuk mencapai predikat resmi?",
        "Which steps first to reach an official predicate?",
    ),
    "pg.best_goal": ("Predikat resmi yang dituju", "Official predicate to reach"),
    "pg.best_cap": ("Kenaikan maksimum per indikator", "Most levels per indicator"),
    "pg.best_reached": ("Predikat itu sudah tercapai.", "That predicate is already reached."),
    "pg.best_none": (
        "Kerangka pendiri saja tidak cukup untuk mencapainya (indikator resmi di luar jembatan, atau batas "
        "kenaikan).",
        "The founding steps alone cannot reach it (official indicators outside the bridge, or the cap).",
    ),
    "pg.best_order": ("Urutan langkah: {steps}", "Steps in order: {steps}"),
    "pg.best_note": (
        "Jalur serakah: tiap langkah memilih kenaikan dengan tambahan indeks resmi terbesar per tingkat; "
        "pendek, tetapi tidak dijamin terpendek.",
        "A greedy path: each move takes the rise with the largest official gain per level; short, not "
        "guaranteed the shortest.",
    ),
    "pg.index_after": ("Indeks resmi sesudahnya", "Official index after"),
    # the report
    "pg.report_steps": ("Sepuluh langkah", "The ten steps"),
    "pg.report_targets": ("Target per jangka", "Targets per horizon"),
    "pg.report_bridge": ("Jembatan ke indeks resmi", "The bridge to the official index"),
    "pg.report_programme": ("Periode program: {label}", "Programme period: {label}"),
    "pg.col_verified": ("Terverifikasi", "Verified"),
    "pg.col_self": ("Mandiri", "Self"),
}
