from newsdigest.cli import app

app(prog_name="newsdigest")
