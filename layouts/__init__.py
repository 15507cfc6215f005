"""Layouts: component builders (no pandas, no SQL). Ids in ``layouts.ids``, texts in ``layouts.i18n``."""
