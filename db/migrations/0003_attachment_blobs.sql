-- Evidence files travel with the sync: each file's bytes, keyed by their SHA-256. The file beside
-- the database (attachments/<sha256>) is the working copy; a laptop that received a document by
-- sync writes that copy from here the first time the file is opened.
CREATE TABLE attachment_blobs (
    id TEXT PRIMARY KEY,                     -- the SHA-256 of data, in hex
    size INTEGER NOT NULL,
    data BLOB NOT NULL
);
