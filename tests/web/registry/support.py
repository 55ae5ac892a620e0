"""Constants shared by the registry tests (a plain module: tests import it by name)."""

# Every ALSFRS-R item at its best level (item 5a: no gastrostomy).
ALL_FOUR = dict.fromkeys(("1", "2", "3", "4", "5a", "6", "7", "8", "9", "10", "11", "12"), 4)
