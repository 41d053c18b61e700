"""Drawing the kiosk's screens with pygame: a painter with fitted text and buttons, layouts, one module per group."""
