"""Pages of the counter area (to be built)."""

from flask import Blueprint

bp = Blueprint("counter_pages", __name__)
