"""Admin dashboards of the bureau statistics and the report-pack downloads (see docs/reports.md)."""
