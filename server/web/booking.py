"""Pages of the booking area (to be built)."""

from flask import Blueprint

bp = Blueprint("booking_pages", __name__)
