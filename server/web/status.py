"""Pages of the status area (to be built)."""

from flask import Blueprint

bp = Blueprint("status_pages", __name__)
