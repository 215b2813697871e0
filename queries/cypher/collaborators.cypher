// Collaborators of a department ranked by the number of tasks they share with it.
// :param dept => 'dept:下陆区:发展和改革局'
MATCH (d:Department {key: $dept})-[:LEADS|ASSISTS]->(t:Task)<-[:LEADS|ASSISTS]-(o)
WHERE o.key <> d.key
RETURN o.key AS unit, o.label AS label, count(DISTINCT t) AS shared_tasks
ORDER BY shared_tasks DESC, unit
