from sdsf.cli.main import run

run()
