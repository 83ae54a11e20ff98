"""Pages of citizen satisfaction (``satisfaction``) and complaints (``complaints``)."""
