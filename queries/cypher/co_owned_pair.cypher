// Tasks two departments both hold, with each one's role and the task's lead units.
// :param dept => 'dept:下陆区:发展和改革局'
// :param other => 'dept:下陆区:科技和信息化局'
MATCH (d:Department {key: $dept})-[r1:LEADS|ASSISTS]->(t:Task)<-[r2:LEADS|ASSISTS]-(o:Department {key: $other})
OPTIONAL MATCH (l)-[:LEADS]->(t)
RETURN t.key AS task, t.label AS label, collect(DISTINCT type(r1)) AS dept_roles,
       collect(DISTINCT type(r2)) AS other_roles, collect(DISTINCT l.key) AS leads
ORDER BY task
