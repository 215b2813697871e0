"""Named questions over the govkg graph, answerable from every store."""
