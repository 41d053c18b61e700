"""Priority labels come from one table (server/domain/ticket.py): no client or device module writes its own."""

from pathlib import Path

from server.api.openapi import document
from server.domain.ticket import PRIORITY_LABELS, PRIORITY_TEXTS, Priority, priority_table

ROOT = Path(__file__).resolve().parents[2]
CLIENT_DIRS = ("kiosk", "display", "counter", "hardware")
TEXT_SUFFIXES = {".py", ".js", ".html", ".css", ".toml", ".json", ".md", ".txt"}
# The one sample ticket of the printer's golden images prints a priority, as a ticket from the server would.
ALLOWED = {("hardware/printing/fake.py", "Lansia")}


def client_files() -> list[Path]:
    return [path for folder in CLIENT_DIRS for path in (ROOT / folder).rglob("*")
            if path.suffix in TEXT_SUFFIXES and path.is_file()]


def test_every_priority_has_a_label_and_a_hint_in_both_languages() -> None:
    assert set(PRIORITY_TEXTS) == set(Priority)
    for text in PRIORITY_TEXTS.values():
        assert all((text.label, text.label_en, text.hint, text.hint_en))
    assert PRIORITY_LABELS == {p: PRIORITY_TEXTS[p].label for p in Priority}  # the Indonesian view of the table


def test_the_published_table_lists_every_code_with_its_words() -> None:
    table = priority_table()
    assert [row["code"] for row in table] == [p.value for p in Priority]
    assert all(set(row) == {"code", "label", "label_en", "hint", "hint_en"} for row in table)
    assert {row["code"]: row["label"] for row in table} == {p.value: label for p, label in PRIORITY_LABELS.items()}


def test_the_api_description_documents_the_table_and_takes_its_codes_from_the_domain() -> None:
    codes = [p.value for p in Priority]
    spec = document()
    assert spec["paths"]["/priorities"]["get"]["responses"]["200"]
    schemas = spec["components"]["schemas"]
    assert schemas["PriorityCategory"]["properties"]["code"]["enum"] == codes
    assert schemas["Ticket"]["properties"]["priority"]["anyOf"] == [{"enum": codes, "type": "string"},
                                                                      {"type": "null"}]


def test_no_client_or_device_file_writes_a_priority_label_of_its_own() -> None:
    words = {word for text in PRIORITY_TEXTS.values()
             for word in (text.label, text.label_en, text.hint, text.hint_en)}
    # Spellings that drifted before the table was shared.
    words |= {"Ibu Hamil", "Membawa Balita", "With toddler"}
    found = []
    for path in client_files():
        content = path.read_text(encoding="utf-8", errors="replace")
        name = path.relative_to(ROOT).as_posix()
        found += [(name, word) for word in sorted(words) if word in content and (name, word) not in ALLOWED]
    assert found == []
