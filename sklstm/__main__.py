"""``python -m sklstm``: the command line (see ``sklstm._cli``)."""

# SPDX-License-Identifier: BSD-3-Clause

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
