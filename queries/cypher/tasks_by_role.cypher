// Tasks of a department by role: the tasks it LEADS and the tasks it ASSISTS.
// :param dept => 'dept:下陆区:发展和改革局'
MATCH (d:Department {key: $dept})-[r:LEADS|ASSISTS]->(t:Task)
RETURN type(r) AS role, t.key AS task, t.label AS label
ORDER BY role, task
