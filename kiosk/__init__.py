"""The touchscreen ticket kiosk: pick an agency and service, get a printed queue number (pygame, REST, Socket.IO)."""
