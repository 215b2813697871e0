// Quantitative targets whose indicator contains a word.
// :param word => '生产总值'
MATCH (g:Target)
WHERE g.indicator CONTAINS $word
RETURN g.key AS target, g.report AS report, g.task AS task, g.indicator AS indicator, g.measure AS measure,
       g.comparator AS comparator, g.value AS value, g.unit AS unit
ORDER BY target
