"""Request counters shared by every web process (the partner API's rate limits)."""
