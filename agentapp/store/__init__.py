"""agentapp.store: the local sqlite store (history, contacts, sync state, dispositions).

Qt-free. Open with :func:`open_store`; every operation is a coroutine that runs
on the store's own threads, never on the caller's.
"""

from agentapp.store.connection import store_path
from agentapp.store.rows import CallRow, ContactRow, HistoryRow, number_key
from agentapp.store.store import Store, open_store

__all__ = ["CallRow", "ContactRow", "HistoryRow", "Store", "number_key", "open_store",
           "store_path"]
