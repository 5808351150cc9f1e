"""Entry point of the frozen console program ``qaliwarma`` (the same as the wheel's console script)."""

import sys

from qaliwarma.cli import main

sys.exit(main())
