"""The store: the only package that speaks SQL (SQLModel/SQLAlchemy on SQLite)."""
