"""Schemathesis hooks for the API run (loaded by the CLI through SCHEMATHESIS_HOOKS): POST /site/import takes a
TOML text, a media type Schemathesis cannot serialize by itself."""

import schemathesis


@schemathesis.serializer("application/toml")
def toml_text(ctx, value):
    text = value if isinstance(value, str) else str(value)
    return text.encode("utf-8", "replace")
