"""What the tests share: projects on disk, pages, waits, hostile inputs (imported, never from conftest.py)."""
