-- An issued report is a signed snapshot (issue 19). When a report is submitted, the laptop that
-- issues it stores the report as issued (its data, and the document exactly as printed: every
-- figure, text, task line and target verdict), signs it with its own sync key, and derives the
-- verification code from both (`content_code`). Printing the report again lays out this
-- snapshot, never the live data; `cchc report verify` checks a PDF's text against it. Drafts
-- carry none of these.
ALTER TABLE reports ADD COLUMN issue_snapshot TEXT;    -- canonical JSON of the snapshot
ALTER TABLE reports ADD COLUMN issue_signature TEXT;   -- Ed25519 signature over it, hex
