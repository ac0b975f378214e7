from kaartenoptafel.cli import main

main()
