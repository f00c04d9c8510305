"""``python -m bot`` is the ``article-bot`` command."""

import sys

from bot.cli.main import main

sys.exit(main())
