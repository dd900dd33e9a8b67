"""The team server: PostgreSQL (psycopg 3), the only code that talks to it.

``server`` creates and migrates the server schema, its roles and row-level
security; ``exchange`` sends rows up and reads rows down. The local side of a
sync (what to send, applying what came) lives in ``annotator.store.team`` and
``annotator.services.team`` joins the two.
"""

from annotator.team.server import SERVER_SCHEMA_VERSION, TeamError, add_analyst, connect, init_server

__all__ = ["SERVER_SCHEMA_VERSION", "TeamError", "add_analyst", "connect", "init_server"]
