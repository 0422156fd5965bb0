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
}


def t(key: str, lang: str = "id") -> str:
    indonesian, english = MESSAGES[key]
    return english if lang == "en" else indonesian


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
