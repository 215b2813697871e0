"""The govkg graph: documents -> networkx MultiDiGraph, entity resolution, stores."""
