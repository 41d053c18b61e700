"""The clerk's counter terminal: Jinja templates and browser JS/CSS served by the server (never imports it)."""
