"""Benchmarks of Antre (`make bench`); each module has `main() -> str` returning a Markdown section."""
