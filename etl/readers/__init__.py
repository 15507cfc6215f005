"""Shared readers for raw files: explicit encodings, separators, decimal commas, secrecy markers.

Every reader keeps the 1-based line number of each data row in the raw file (column ``_line``),
so that a validation failure can name the file, the line and the field:

* ``etl.readers.text``: strict decoding, field counts, the header (``read_text``, ``read_csv``);
* ``etl.readers.schema``: pandera schemas through pandera's public API (``check``, ``code_check``);
* ``etl.readers.numbers``: text cells to numbers and statuses (``to_number``, ``to_numbers``).
"""

from etl.readers.numbers import to_number, to_numbers
from etl.readers.schema import CODE_PATTERN, check, code_check
from etl.readers.text import LINE, check_field_counts, read_csv, read_text

__all__ = [
    "CODE_PATTERN",
    "LINE",
    "check",
    "check_field_counts",
    "code_check",
    "read_csv",
    "read_text",
    "to_number",
    "to_numbers",
]
