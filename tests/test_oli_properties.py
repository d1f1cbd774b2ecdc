"""Properties of the OLI simulator that a wrong formula would break (issue 21, item 4)."""
