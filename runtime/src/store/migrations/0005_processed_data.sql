-- Version 5: data nodes keep across executions (Remove Duplicates' history), one JSON value per
-- workflow and context (`n:<node id>` for a node's own, empty for the workflow's). Values are
-- digests or the highest number or date seen, no secret, so they are stored as plain text.

CREATE TABLE processed_data (
    workflow TEXT NOT NULL,
    context  TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (workflow, context)
);
