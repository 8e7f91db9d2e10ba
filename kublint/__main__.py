from kublint.cli import run

run()
