"""Entry point of the frozen windowed program ``qaliwarma-gui`` (the same as the wheel's GUI script)."""

import sys

from ui.app import main

sys.exit(main())
