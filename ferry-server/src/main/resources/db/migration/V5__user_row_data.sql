-- Whether a viewer may read row data (dirty rows hold whole rows of the source); admins and
-- operators always may.
ALTER TABLE ferry_user ADD read_rows BOOLEAN DEFAULT FALSE NOT NULL;
