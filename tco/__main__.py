"""``python -m tco``: the ``tco`` command."""

import sys

from tco.cli import main

if __name__ == "__main__":
    sys.exit(main())
