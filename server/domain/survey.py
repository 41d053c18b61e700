"""The Survei Kepuasan Masyarakat of Permenpan RB No. 14 Tahun 2017, pure: the nine elements (unsur) with the
regulation's questions and four-point answers, the respondent profile, checking one response, and the index
(NRR per element, weighted NRR with weight 1/9, IKM ×25) with the regulation's interval table; the minimum sample
by Krejcie & Morgan. Standard library only; exact rational arithmetic, rounded once to two decimals (half up) before
the interval table is applied, so 76.60 is C and 76.61 is B exactly as the table says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import Invalid

CODES = tuple(f"U{i}" for i in range(1, 10))
SCORES = (1, 2, 3, 4)
WEIGHT = Fraction(1, len(CODES))  # "bobot nilai rata-rata tertimbang = 1/9 = 0,111"
CONVERSION = 25  # "IKM unit pelayanan × 25" maps 1..4 onto 25..100
MAX_COMMENT_CHARS = 1000
TWO_PLACES = Decimal("0.01")

# (code, element, question, four answers from score 1 to 4) — the regulation's sample questionnaire (Lampiran),
# in the order of its list of elements (U8 complaints, U9 facilities). Each entry: Bahasa Indonesia, English.
ELEMENTS: tuple[tuple[str, tuple[str, str], tuple[str, str], tuple[tuple[str, str], ...]], ...] = (
    ("U1", ("Persyaratan", "Requirements"),
     ("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
      "How well do the service's requirements fit the kind of service?"),
     (("Tidak sesuai", "Not suitable"), ("Kurang sesuai", "Somewhat unsuitable"), ("Sesuai", "Suitable"),
      ("Sangat sesuai", "Very suitable"))),
    ("U2", ("Sistem, mekanisme, dan prosedur", "System, mechanism and procedure"),
     ("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
      "How easy is the service procedure at this unit?"),
     (("Tidak mudah", "Not easy"), ("Kurang mudah", "Not very easy"), ("Mudah", "Easy"),
      ("Sangat mudah", "Very easy"))),
    ("U3", ("Waktu penyelesaian", "Time to completion"),
     ("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
      "How fast was the service given?"),
     (("Tidak cepat", "Not fast"), ("Kurang cepat", "Not very fast"), ("Cepat", "Fast"),
      ("Sangat cepat", "Very fast"))),
    ("U4", ("Biaya/tarif", "Cost/fee"),
     ("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
      "How fair is the cost or fee of the service?"),
     (("Sangat mahal", "Very expensive"), ("Cukup mahal", "Rather expensive"), ("Murah", "Cheap"),
      ("Gratis", "Free"))),
    ("U5", ("Produk spesifikasi jenis pelayanan", "Service product"),
     ("Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
      "pelayanan dengan hasil yang diberikan?",
      "How well does what you received match the product in the service standard?"),
     (("Tidak sesuai", "Not matching"), ("Kurang sesuai", "Partly matching"), ("Sesuai", "Matching"),
      ("Sangat sesuai", "Fully matching"))),
    ("U6", ("Kompetensi pelaksana", "Staff competence"),
     ("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
      "How competent were the staff who served you?"),
     (("Tidak kompeten", "Not competent"), ("Kurang kompeten", "Not very competent"), ("Kompeten", "Competent"),
      ("Sangat kompeten", "Very competent"))),
    ("U7", ("Perilaku pelaksana", "Staff conduct"),
     ("Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
      "How polite and friendly were the staff?"),
     (("Tidak sopan dan ramah", "Not polite or friendly"), ("Kurang sopan dan ramah", "Not very polite or friendly"),
      ("Sopan dan ramah", "Polite and friendly"), ("Sangat sopan dan ramah", "Very polite and friendly"))),
    ("U8", ("Penanganan pengaduan, saran dan masukan", "Handling of complaints and suggestions"),
     ("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
      "How are complaints from service users handled?"),
     (("Tidak ada", "There is none"), ("Ada tetapi tidak berfungsi", "Exists but does not work"),
      ("Berfungsi kurang maksimal", "Works, but not fully"), ("Dikelola dengan baik", "Well managed"))),
    ("U9", ("Sarana dan prasarana", "Facilities"),
     ("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
      "How good are the facilities?"),
     (("Buruk", "Poor"), ("Cukup", "Fair"), ("Baik", "Good"), ("Sangat baik", "Very good"))),
)

# The respondent profile of the sample questionnaire: every field optional, answers from these lists only.
PROFILE: dict[str, tuple[tuple[str, str, str], ...]] = {
    "age": (("lt20", "< 20 tahun", "under 20"), ("20_29", "20–29 tahun", "20–29"), ("30_39", "30–39 tahun", "30–39"),
            ("40_49", "40–49 tahun", "40–49"), ("50_59", "50–59 tahun", "50–59"), ("60p", "60 tahun ke atas", "60+")),
    "sex": (("L", "Laki-laki", "Male"), ("P", "Perempuan", "Female")),
    "education": (("SD", "SD ke bawah", "Primary or less"), ("SMP", "SMP", "Junior high"), ("SMA", "SMA", "Senior high"),
                  ("D1_D3", "D1–D3", "Diploma"), ("S1", "D4/S1", "Bachelor"), ("S2", "S2 ke atas", "Master or higher")),
    "occupation": (("PNS", "PNS", "Civil servant"), ("TNI", "TNI", "Armed forces"), ("POLRI", "POLRI", "Police"),
                   ("SWASTA", "Swasta", "Private employee"), ("WIRAUSAHA", "Wirausaha", "Self-employed"),
                   ("PELAJAR", "Pelajar/Mahasiswa", "Student"), ("LAINNYA", "Lainnya", "Other")),
}
PROFILE_LABELS = {"age": ("Usia", "Age"), "sex": ("Jenis kelamin", "Sex"), "education": ("Pendidikan", "Education"),
                  "occupation": ("Pekerjaan", "Occupation")}


@dataclass(frozen=True, slots=True)
class Grade:
    """One row of the regulation's table: converted interval (NIK), mutu pelayanan and kinerja unit pelayanan."""

    low: Decimal
    high: Decimal
    mutu: str
    kinerja: str
    kinerja_en: str


# Nilai interval konversi (NIK) → mutu → kinerja. The intervals leave gaps of 0.01 between rows: they apply to a
# value rounded to two decimals, which is why `convert` rounds before `grade` looks the row up.
GRADES = (
    Grade(Decimal("25.00"), Decimal("64.99"), "D", "Tidak baik", "Poor"),
    Grade(Decimal("65.00"), Decimal("76.60"), "C", "Kurang baik", "Fair"),
    Grade(Decimal("76.61"), Decimal("88.30"), "B", "Baik", "Good"),
    Grade(Decimal("88.31"), Decimal("100.00"), "A", "Sangat baik", "Very good"),
)


def round2(value: Fraction) -> Decimal:
    """A non-negative `value` rounded half up to two decimals, in integers (no floating point on the way)."""
    hundredths = (value * 100 + Fraction(1, 2)).__floor__()
    return (Decimal(hundredths) / 100).quantize(TWO_PLACES)


def grade(converted: Decimal) -> Grade:
    """The table row of a converted value that has two decimals (25.00–100.00)."""
    for row in GRADES:
        if row.low <= converted <= row.high:
            return row
    raise ValueError(f"{converted} is outside 25.00–100.00 or has more than two decimals")


@dataclass(frozen=True, slots=True)
class ElementResult:
    code: str
    total: int  # Σ scores of the element
    nrr: Fraction  # nilai rata-rata = total / respondents
    weighted: Fraction  # NRR × 1/9
    converted: Decimal  # NRR × 25, two decimals: the element's own mutu
    grade: Grade


@dataclass(frozen=True, slots=True)
class Index:
    """The IKM of a set of responses, as the regulation computes it."""

    respondents: int
    elements: tuple[ElementResult, ...]
    unit: Fraction  # IKM unit pelayanan = Σ weighted NRR (1–4)
    ikm: Decimal  # converted: unit × 25, two decimals (25.00–100.00)
    grade: Grade

    @property
    def weakest(self) -> tuple[str, ...]:
        """The element(s) with the lowest NRR: where the unit should improve first."""
        low = min(e.nrr for e in self.elements)
        return tuple(e.code for e in self.elements if e.nrr == low)


def compute_index(responses: Iterable[Mapping[str, int]]) -> Index | None:
    """NRR per element, weighted NRR, IKM unit and converted IKM with its mutu; None without responses."""
    rows = list(responses)
    if not rows:
        return None
    n = len(rows)
    elements = []
    for code in CODES:
        total = sum(int(r[code]) for r in rows)
        nrr = Fraction(total, n)
        converted = round2(nrr * CONVERSION)
        elements.append(ElementResult(code, total, nrr, nrr * WEIGHT, converted, grade(converted)))
    unit = sum((e.weighted for e in elements), Fraction(0))
    ikm = round2(unit * CONVERSION)
    return Index(n, tuple(elements), unit, ikm, grade(ikm))


def minimum_sample(population: int) -> int:
    """Krejcie & Morgan (1970), the sample table the regulation's guide points to: s = χ²NP(1−P) / (d²(N−1) +
    χ²P(1−P)) with χ² = 3.841 (1 degree of freedom, 95 %), P = 0.5, d = 0.05, rounded to the nearest whole
    respondent as their table is (N = 100 → 80, 1,000 → 278, 10,000 → 370). It matches every row of the published
    table except its last (100,000 → 384, where the formula gives 383): from there on the table's 384 is used."""
    if population <= 0:
        return 0
    if population >= 100_000:
        return 384
    chi2, p, d = Fraction(3841, 1000), Fraction(1, 2), Fraction(1, 20)
    s = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return min(population, int((s + Fraction(1, 2)).__floor__()))


FOLLOW_UP = ("baru", "ditindaklanjuti", "selesai")
FOLLOW_UP_LABELS = {"baru": ("Baru", "New"), "ditindaklanjuti": ("Ditindaklanjuti", "Being followed up"),
                    "selesai": ("Selesai", "Resolved")}
MAX_REPLY_CHARS = 1000


def check_follow_up(state: object, reply: object) -> tuple[str, str]:
    """An officer's follow-up of a suggestion: a known state and a reply (required once it is no longer new)."""
    if state not in FOLLOW_UP:
        raise Invalid("invalid_state", "Status tindak lanjut harus baru, ditindaklanjuti atau selesai.", field="state")
    text = reply.strip() if isinstance(reply, str) else ""
    if len(text) > MAX_REPLY_CHARS:
        raise Invalid("reply_too_long", f"Tanggapan paling banyak {MAX_REPLY_CHARS} karakter.", field="reply")
    if state != "baru" and not text:
        raise Invalid("reply_required", "Tuliskan tanggapan petugas untuk tindak lanjut ini.", field="reply")
    return str(state), text


def check_answers(answers: object) -> dict[str, int]:
    """The nine scores of one response; Invalid naming the first missing, unknown or out-of-range element."""
    if not isinstance(answers, dict):
        raise Invalid("invalid_answers", "Jawaban harus berupa objek {\"U1\": 1–4, …, \"U9\": 1–4}.", field="answers")
    unknown = sorted(set(answers) - set(CODES))
    if unknown:
        raise Invalid("unknown_element", f"Unsur '{unknown[0]}' tidak dikenal; unsur survei adalah U1 sampai U9.",
                      field=str(unknown[0]))
    out = {}
    for code in CODES:
        if code not in answers or answers[code] is None:
            raise Invalid("missing_element", f"Unsur {code} belum dijawab; semua sembilan unsur wajib diisi.",
                          field=code)
        value = answers[code]
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
            raise Invalid("invalid_score", f"Nilai unsur {code} harus 1, 2, 3 atau 4.", field=code)
        out[code] = value
    return out


def check_profile(profile: object) -> dict[str, str]:
    """The optional respondent profile: only the known fields, each from its list (empty answers dropped)."""
    if profile is None:
        return {}
    if not isinstance(profile, dict):
        raise Invalid("invalid_profile", "Profil responden harus berupa objek.", field="profile")
    out = {}
    for key, value in profile.items():
        if key not in PROFILE:
            raise Invalid("invalid_profile", f"Kolom profil '{str(key)[:20]}' tidak dikenal.", field="profile")
        if value in (None, ""):
            continue
        if value not in [c for c, _, _ in PROFILE[key]]:
            raise Invalid("invalid_profile", f"Pilihan '{str(value)[:20]}' tidak ada untuk {PROFILE_LABELS[key][0]}.",
                          field=key)
        out[key] = str(value)
    return out


def check_comment(comment: object) -> str:
    """The optional suggestion or complaint, trimmed; at most MAX_COMMENT_CHARS characters."""
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise Invalid("invalid_comment", "Saran/pengaduan harus berupa teks.", field="comment")
    text = comment.strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise Invalid("comment_too_long", f"Saran/pengaduan paling banyak {MAX_COMMENT_CHARS} karakter.",
                      field="comment")
    return text
