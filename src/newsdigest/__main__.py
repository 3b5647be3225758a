import sys

from newsdigest.evaluate import readahead

# Before the CLI loads: `newsdigest evaluate DATASET` starts reading DATASET now (see readahead).
readahead.start(sys.argv[1:])

from newsdigest.apps.cli import app  # noqa: E402

app(prog_name="newsdigest")
