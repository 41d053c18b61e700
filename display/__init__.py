"""Waiting-room display: shows called tickets on the TV and announces them in Bahasa Indonesia."""
