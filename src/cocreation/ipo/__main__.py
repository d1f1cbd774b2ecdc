"""``python -m cocreation.ipo --power-grid`` regenerates the table ``ipo_power_grid``."""

import sys

from .. import data
from .power import power_grid


def main(argv: list[str]) -> int:
    if argv != ["--power-grid"]:
        sys.exit("usage: python -m cocreation.ipo --power-grid")
    power_grid().to_csv(data.data_dir() / "ipo_power_grid.csv", index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
