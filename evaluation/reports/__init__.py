"""Printable PDF reports (fpdf2): one per agency and period, and a national summary per period. The
numbers come from the same services as the app and the Excel export; charts are drawn as PDF vectors."""
