"""Exams and assessments: question banks, blueprints, timed theory sittings, practical assessment, level results."""
