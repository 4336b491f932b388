-- pressflow warehouse, schema version 16: goals say which is a total and which its parts (issue 15).
-- mentions.role of a goal is 'total' for money stated as a whole ('총사업비 48억원') and 'part' for the
-- money of one source summing into it ('국비 20억원'); NULL otherwise. Summing the goals that are not
-- parts counts each amount once. Idempotent.
CREATE OR REPLACE VIEW article_goals AS
    SELECT article_id, text, quantity, unit, object, role, coalesce(role, '') <> 'part' AS counts_once, sentence
    FROM mentions WHERE kind = 'goal';
