"""Properties of the coopetition model that a wrong formula would break (issue 21, item 4)."""
