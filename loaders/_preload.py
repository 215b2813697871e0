"""Imported once by the forkserver of ``govkg.loaders.isolate``: parses a tiny document so that
every worker forked from it starts with the vocabulary read and the patterns compiled
(about 60 ms saved per document). Importing it anywhere else is harmless."""

from govkg.loaders.extract import extract_text

extract_text("warm-up.txt", "一、重点工作\n1、推进园区建设。(牵头单位:市发改委;责任单位:市财政局)\n")
