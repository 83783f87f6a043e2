from nexus_kit.cli import main

main()
