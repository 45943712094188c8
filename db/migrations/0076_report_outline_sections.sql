-- The report as the city expects it (issue 19): besides the results by area, difficulties and
-- proposals, the outline has "đánh giá chung" (assessment) and "phương hướng, nhiệm vụ kỳ tới"
-- (direction), written by the reporting unit and, in the zone's report, by the consolidator.
-- The CHECK on report_sections.area is widened by rebuilding the table (same columns, same
-- rows, same ids) through a copy, without ALTER TABLE … RENAME (which re-reads every trigger of
-- the schema, some naming the sync engine's tables before the engine has made them). The sync
-- engine reinstalls its capture triggers when the workspace opens.
CREATE TABLE report_sections_copy AS SELECT id, report_id, area, text, updated_at
    FROM report_sections;
DROP TABLE report_sections;
CREATE TABLE report_sections (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    area TEXT NOT NULL CHECK (area IN ('I', 'II', 'III', 'IV', 'V', 'VI', 'VII',
                                       'assessment', 'difficulties', 'direction', 'proposals')),
    text TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
INSERT INTO report_sections (id, report_id, area, text, updated_at)
    SELECT id, report_id, area, text, updated_at FROM report_sections_copy ORDER BY rowid;
DROP TABLE report_sections_copy;
CREATE INDEX report_sections_report ON report_sections(report_id, area);
