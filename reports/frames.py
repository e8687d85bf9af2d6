"""Pure pandas computations of the bureau indicators (no database, no Django): see docs/reports.md."""
