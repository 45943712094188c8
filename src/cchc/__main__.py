from cchc.cli.main import main

raise SystemExit(main())
