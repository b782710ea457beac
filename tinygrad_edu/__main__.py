"""``python -m tinygrad_edu``: the same as the ``tinygrad-edu`` command."""
import sys

from .teach.cli import main

sys.exit(main())
