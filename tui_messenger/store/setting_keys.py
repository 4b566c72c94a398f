"""The keys of the `settings` table, on the standard library alone: the first frame reads some of them
with plain sqlite3 (chat_rows.py, matrix_quick.py) before SQLAlchemy is imported."""

SYNC_TOKEN = "sync_token"
CLOCK_JUMPED = "virtual_clock_jumped"  # seconds the tester's virtual clock was moved ahead, in all
