from kublint.cli import main

main()
