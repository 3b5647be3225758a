from newsdigest.apps.cli import app

app(prog_name="newsdigest")
