"""Writes of the reports statistics: targets and child counts (report packs: ``reports.packs``)."""

from .targets import child_count_delete, child_count_record, target_delete, target_set

__all__ = ["child_count_delete", "child_count_record", "target_delete", "target_set"]
