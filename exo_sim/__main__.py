"""``python -m exo_sim``: the teacher training and evaluation command line."""

import sys

from exo_sim.cli import main

sys.exit(main())
