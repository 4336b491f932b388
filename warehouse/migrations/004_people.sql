-- People named with their role ('한병삼 전주시 경제산업국장'): mentions of kind 'person'.
ALTER TABLE mentions ADD COLUMN role VARCHAR;
CREATE VIEW people AS
    SELECT m.article_id, m.text AS name, m.role, a.title, a.published_at, m.sentence
    FROM mentions m JOIN articles a USING (article_id) WHERE m.kind = 'person';
