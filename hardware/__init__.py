"""Device adapters for kiosks and displays (ticket printers, audio, scanners), each with a fake for tests."""
