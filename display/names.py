"""Short names for the TV: an agency's (or a layanan's) name in the longest form that fits a row.

The full name is shown whenever it fits. When it does not, an installer's `short_name` (the `[[agency]]` key of
config.toml, or `agency_short_name` from the server when it sends one) wins; without one, a short form is
derived the way Indonesian offices abbreviate themselves: the bracketed part dropped ("Polresta Samarinda (SIM
dan SKCK)" -> "Polresta Samarinda"), well-known phrases shortened ("Pelayanan Terpadu Satu Pintu" -> "PTSP",
"Dinas Kependudukan dan Pencatatan Sipil" -> "Disdukcapil"), then the initials ("DPMPTSP"), then the agency's
code. Only what still does not fit is cut with "…".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# Longest first: a phrase inside a longer one must not be shortened before it.
PHRASES: tuple[tuple[str, str], ...] = (
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("Kependudukan dan Pencatatan Sipil", "Dukcapil"),
    ("Pelayanan Terpadu Satu Pintu", "PTSP"),
    ("Badan Penyelenggara Jaminan Sosial", "BPJS"),
    ("Badan Narkotika Nasional", "BNN"),
    ("Kantor Imigrasi Kelas I TPI", "Imigrasi"),
    ("Kantor Imigrasi", "Imigrasi"),
    ("Kantor Pertanahan", "BPN"),
    ("Badan Pendapatan Daerah", "Bapenda"),
    ("Dinas Sosial", "Dinsos"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Perhubungan", "Dishub"),
    ("Kepolisian Resor Kota", "Polresta"),
    ("Kelurahan", "Kel."),
    ("Kecamatan", "Kec."),
    ("Kabupaten", "Kab."),
)
SMALL_WORDS = frozenset({"dan", "di", "ke", "untuk", "serta", "atau", "&"})
BRACKETS = re.compile(r"\s*\([^)]*\)")


def _abbreviated(name: str) -> str:
    for phrase, short in PHRASES:
        name = re.sub(rf"\b{re.escape(phrase)}\b", short, name, flags=re.IGNORECASE)
    return " ".join(name.split())


def _initials(name: str) -> str:
    """"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" -> "DPMPTSP"; "" when the name has an
    abbreviation or a place in it already (then initials would only make it unreadable)."""
    words = [w for w in name.split() if w.lower() not in SMALL_WORDS]
    if len(words) < 3 or any(not w[:1].isupper() or (len(w) > 1 and w.isupper()) for w in words):
        return ""
    return "".join(w[0] for w in words).upper()


def short_forms(name: str, short_name: str = "", code: str = "", *, initials: bool = True) -> list[str]:
    """The ways to write `name` on a row, longest (the full name) first, each shorter than the one before.
    A layanan passes `initials=False`: "AKK" says nothing, while an agency's initials are often its own name."""
    forms = [name]
    if short_name.strip():
        forms.append(short_name.strip())  # the installer's choice ends the list: nothing is derived then
    else:
        bare = BRACKETS.sub("", name).strip() or name
        forms += [bare, _abbreviated(bare), _abbreviated(BRACKETS.sub("", _abbreviated(name)))]
        inside = re.findall(r"\(([^)]*)\)", name)
        forms.append(_initials(bare) if initials else "")
        forms += [w for w in (inside[0].split() if inside else [])[:1] if w.isupper() and len(w) > 1]
        forms.append(code.strip())
    out: list[str] = []
    for form in forms:
        if form and form not in out and (not out or len(form) < len(out[-1])):
            out.append(form)
    return out


def fitting_name(forms: Iterable[str], fits: Callable[[str], bool]) -> str:
    """The first (longest) of `forms` for which `fits(form)`, else the shortest (the caller cuts it with "…")."""
    last = ""
    for form in forms:
        if fits(form):
            return form
        last = form
    return last
