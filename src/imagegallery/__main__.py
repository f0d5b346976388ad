"""``python -m imagegallery``: see :mod:`imagegallery.cli`."""

from __future__ import annotations

import sys

from imagegallery.cli import main

if __name__ == "__main__":
    sys.exit(main())
