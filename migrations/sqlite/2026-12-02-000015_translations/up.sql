-- Organizer content in more than one language: the record's own columns keep the original
-- text; each row here is that text in one content language (config `content_languages`).
-- Pages show the reader's language where it is here, else the original.
CREATE TABLE translations (
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('tour', 'stop', 'venue', 'task')),
    subject_id TEXT NOT NULL,
    field TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, field, lang)
);
-- Pages load the texts of what they show by the records' ids.
CREATE INDEX translations_subject ON translations (subject_id);
