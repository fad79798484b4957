-- The target of the MariaDB -> PostgreSQL path (database ferry_bench), and the scratch table the
-- file paths' outputs are loaded into to verify them.
DROP TABLE IF EXISTS orders;
CREATE TABLE orders (
  id          bigint        NOT NULL PRIMARY KEY,
  customer_id integer       NOT NULL,
  sku         varchar(32)   NOT NULL,
  qty         integer       NOT NULL,
  price       numeric(12,2) NOT NULL,
  status      varchar(16),
  created_at  timestamp     NOT NULL,
  note        varchar(200)
);
DROP TABLE IF EXISTS orders_file_check;
CREATE UNLOGGED TABLE orders_file_check (LIKE orders);
