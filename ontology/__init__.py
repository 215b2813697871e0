"""The govkg RDF vocabulary (reusing W3C ORG, PROV-O, Dublin Core) and RDF export."""
