"""Drawing on the kiosk's and the display's pygame screens (text with the bundled fonts)."""
