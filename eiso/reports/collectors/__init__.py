"""The collectors: each reads one printed document's plain data (``eiso.reports.content``) from the
apps, through their selectors and within what the user may read, as ``collect_<document>(user, …)``."""
