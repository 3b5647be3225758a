"""``python -m newsdigest`` and the ``newsdigest`` command."""

import sys


def main() -> None:
    from newsdigest.evaluate import readahead

    # Before the CLI loads: `newsdigest evaluate DATASET` starts reading DATASET now (see readahead).
    readahead.start(sys.argv[1:])
    from newsdigest.apps.cli import app

    app(prog_name="newsdigest")


if __name__ == "__main__":
    main()
