"""Courses, lessons, enrollments, server-verified progress, classroom sessions and the training-hour ledger."""
