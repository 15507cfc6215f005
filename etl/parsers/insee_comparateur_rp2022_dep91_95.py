"""INSEE "comparateur de territoires", 2025 edition (RP2022): every commune of Essonne (91) and
Val-d'Oise (95).

The same INSEE file and format as ``insee_comparateur_rp2022`` (header identical, rows copied
verbatim from the same public copy; PROVENANCE.md §15), so the same parser reads it. Its seven
MGP communes (91027, 91326, 91432, 91479, 91589, 91687, 95018) are also in the MGP extract: the
core keeps the MGP extract's values (higher priority) and records any disagreement as a
``source_disagreement`` quality flag (none expected: PROVENANCE reports byte-identical lines).
"""

from __future__ import annotations

from pathlib import Path

from etl.contract import ParseResult
from etl.parsers import insee_comparateur_rp2022
from etl.registry import SourceSpec


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the 91/95 extract (file key ``main``) with the RP2022 comparateur parser."""
    return insee_comparateur_rp2022.parse(files, source)
