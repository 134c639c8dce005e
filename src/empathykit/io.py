"""Reading conversations from files (filled in by the workflow work)."""
