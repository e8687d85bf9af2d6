"""Reads of the reports app: statistics (``statistics``), their scoping (``scope``) and inputs (``sources``)."""
