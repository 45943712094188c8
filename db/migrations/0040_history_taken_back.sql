-- History stays append-only for every writer but one: the sync engine, while it applies what
-- other laptops sent (its capture is off then), takes back the history lines a revoked laptop
-- wrote after the root's cutoff, or parks a line whose task is gone, so this copy ends where
-- the others stand (sync/SPEC.md section 6, "Revocation and its cutoff"). Every other delete,
-- the app's own included, is refused as before; the sync policy refuses any delete of a history
-- line sent by another laptop.
DROP TRIGGER history_no_delete;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
WHEN NOT EXISTS (SELECT 1 FROM _sync_state WHERE capture_off > 0)
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
