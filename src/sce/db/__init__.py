"""The POS database (SQLAlchemy 2 + Alembic): SQLite embedded by default, PostgreSQL for larger sites."""
