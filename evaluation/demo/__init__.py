"""Demo data (only with SPBE_DEMO=1 or `python -m evaluation demo`): the register's agencies with
plausible histories (`data`), national targets (`targets`) and a province's programme (`programme`)."""
