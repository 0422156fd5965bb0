"""Bulk data in and out (Excel, CSV) through the same rules as the forms."""
