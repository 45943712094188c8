-- Reports that tell the truth (issue 11):
-- * figures for the plan's own measures: rows 12 and 13 (procedures published on time, published
--   on the zone's portal) and target f's second measure (satisfaction with UBND's service);
-- * each report's provenance (which unit report revisions, submitted by whom from which
--   certified laptop, each figure was summed from) and its verification code, fixed when the
--   report is issued (submitted);
-- * the solutions of section II of the decision, per area (seed data, identical everywhere).
ALTER TABLE report_figures ADD COLUMN tthc_to_publish INTEGER CHECK (tthc_to_publish >= 0);
ALTER TABLE report_figures ADD COLUMN tthc_published_on_time INTEGER
    CHECK (tthc_published_on_time >= 0);
ALTER TABLE report_figures ADD COLUMN tthc_in_force INTEGER CHECK (tthc_in_force >= 0);
ALTER TABLE report_figures ADD COLUMN tthc_on_portal INTEGER CHECK (tthc_on_portal >= 0);
ALTER TABLE report_figures ADD COLUMN service_satisfaction REAL
    CHECK (service_satisfaction BETWEEN 0 AND 100);
ALTER TABLE reports ADD COLUMN provenance TEXT NOT NULL DEFAULT '[]';
ALTER TABLE reports ADD COLUMN content_code TEXT;
ALTER TABLE areas ADD COLUMN solutions TEXT NOT NULL DEFAULT '[]';
