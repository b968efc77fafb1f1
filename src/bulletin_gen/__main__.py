from bulletin_gen.cli import main

main()
