"""Reading badge files: detect by content, extract the credential bytes, keep them raw.

``read_file`` / ``read_paths`` never raise for bad input: every file that cannot be
read as a badge becomes an :class:`IngestProblem` naming the problem.
"""

from portfolio_gen.ingest.files import read_file, read_paths
from portfolio_gen.ingest.raw import CompactJws, Container, IngestProblem, Kind, RawCredential

__all__ = ["CompactJws", "Container", "IngestProblem", "Kind", "RawCredential", "read_file",
           "read_paths"]
