"""REST transport (`/api/v1`): blueprints that parse input, call one service function and serialise."""
