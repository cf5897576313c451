"""Open Badges 3.0 and CLR 2.0: Data Integrity proofs, VC-JWT, DIDs and status lists."""
