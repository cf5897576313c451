"""Getting a learner's badges into a portfolio: ``portfolio-gen add`` (import.md).

``local`` reads files and folders, ``wallet`` splits wallet exports into credentials,
``platforms`` turns badge page URLs into their Open Badges JSON, ``target`` finds the
portfolio's folders, ``add`` checks, verifies, de-duplicates, saves and pins, and
``console`` prints what happened. Nothing here opens a socket: fetching goes through the
injected fetcher (the guarded one, from the CLI).
"""
