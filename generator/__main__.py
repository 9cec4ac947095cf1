from trainfn_gen.commands.cli import main

main()
