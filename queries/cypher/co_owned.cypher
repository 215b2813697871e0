// Co-owned tasks of a department: tasks it leads or assists that another unit also holds.
// :param dept => 'dept:下陆区:发展和改革局'
MATCH (d:Department {key: $dept})-[r:LEADS|ASSISTS]->(t:Task)<-[:LEADS|ASSISTS]-(o)
WHERE o.key <> d.key
RETURN t.key AS task, t.label AS label, collect(DISTINCT type(r)) AS roles, collect(DISTINCT o.key) AS others
ORDER BY task
