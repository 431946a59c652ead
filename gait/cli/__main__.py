"""``python -m gait.cli``: the same as the ``gait`` command."""

import sys

from gait.cli.entry import main

sys.exit(main())
