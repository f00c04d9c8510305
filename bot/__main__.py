"""``python -m bot`` is the ``article-bot`` command."""

import sys

from .cli import main

sys.exit(main())
