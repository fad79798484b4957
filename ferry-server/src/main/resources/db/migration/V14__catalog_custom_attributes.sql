-- The metadata catalog's custom attributes (docs/catalog.md): defined by people per meta-model
-- (name, type, required, allowed values) and set on collected tables. A collection never writes
-- custom_values, so they survive re-collection as the common attributes do.
CREATE TABLE ferry_catalog_custom_attr (
  id             ${id},
  model          VARCHAR(50)   NOT NULL,
  attr_name      VARCHAR(100)  NOT NULL,
  attr_type      VARCHAR(20)   NOT NULL,
  is_required    BOOLEAN       NOT NULL,
  allowed_values ${text},
  description    VARCHAR(500),
  created_at     ${ts}         NOT NULL,
  updated_at     ${ts}         NOT NULL
);
CREATE INDEX ferry_catalog_custom_attr_model ON ferry_catalog_custom_attr (model);

-- A table's custom attribute values (JSON: name → value).
ALTER TABLE ferry_catalog_table ADD COLUMN custom_values ${text};
