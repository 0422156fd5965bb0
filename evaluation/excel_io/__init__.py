"""Excel and CSV in and out: bytes <-> rows, with every bad cell reported as (sheet, row, column, reason).

No database here: services decide what rows mean (evaluation.services.bulk).
"""
