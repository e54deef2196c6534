"""A what-if you can drag: sliders for the main drivers of a comparison (Jupyter).

:func:`tco.explore` (:mod:`tco.whatif.widget`) builds the widget (ipywidgets, the optional
extra ``pip install tco[notebook]``); :class:`~tco.whatif.engine.WhatIf` is its
arithmetic, usable without widgets; :mod:`tco.whatif.drivers` finds the sliders from the
parameters the options and usage declare.
"""
