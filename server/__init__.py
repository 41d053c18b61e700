"""Antre queue server: domain, storage, services, REST and Socket.IO transports, pages (`python -m server`)."""
