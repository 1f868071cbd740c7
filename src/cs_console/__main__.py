from cs_console.cli.root import main

main()
