"""Plans edits (pure), backs up, writes atomically, journals, restores; detects tools."""
