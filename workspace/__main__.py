"""``python -m workspace``: see ``workspace.cli``."""

from __future__ import annotations

import sys

from workspace.cli import main

sys.exit(main())
