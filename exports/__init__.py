"""Presentation mode and exports for elected officials (issue #5).

Layers, from pure to I/O:

* ``model``: plain dataclasses (a place, a value read for it, the facts of one indicator slide);
* ``messages``: the one-sentence key messages in French (pure);
* ``deck_choices``: the deck choices parsed from a URL query; ``deck``: the list of slides (pure);
* ``attribution``: the source lines, credits and licences slides and fiches print (pure);
* ``profile`` reads a place's fiche from the store (``profile_model``: the record and its texts);
  ``fiche_content``: what the fiche says, for both of its renderers;
* ``charts``: the chart of a slide as a renderer-neutral spec, and its plotly figure;
* ``data``: gathers the facts from the store through ``indicators`` (the only module here that
  touches the database);
* ``render`` (PNG/SVG through kaleido and Debian's Chromium), ``pptx``, ``pdf`` and ``fiche``
  (reportlab) turn them into files; ``routes`` serves them under ``/export/…``.

Every file produced credits its sources (« Source : Insee, RP 2022 … ») and their licence.
"""
