"""The words the directory uses when a source is silent: one spelling, everywhere."""

NOT_STATED = "Not stated in source"
AMOUNT_NOT_STATED = "Amount not stated in source"
