-- Which root key created each root key (root_bootstrap: the ROOT_KEY variable); rows made before
-- this was recorded keep NULL.
ALTER TABLE root_keys ADD COLUMN created_by TEXT;
