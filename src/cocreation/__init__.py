"""Models, data and charts behind *B2B Value Co-creation: an executable book*.

Modules
-------
data
    ``load(name)``: the validated tables of ``data/``.
charts
    The colour-blind-safe theme, the offline renderer and shared chart builders.
widgets
    One model function -> a static Altair explorer and a live ipywidgets explorer.
display
    Quotation and table rendering with attribution.
"""

__version__ = "0.1.0"
