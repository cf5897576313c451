"""Reading badge files: detect by content, extract the credential bytes, keep them raw."""
