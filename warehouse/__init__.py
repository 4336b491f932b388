"""The DuckDB warehouse: schema and migrations, idempotent loading, views, exports.

Nothing outside this package writes SQL that changes data.
"""
from warehouse.schema import SCHEMA_VERSION, connect, connect_read_only, reading, writing

__all__ = ["SCHEMA_VERSION", "connect", "connect_read_only", "reading", "writing"]
