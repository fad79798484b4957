-- The benchmark's table in MariaDB/MySQL: the source (database ferry_bench) and the target of
-- the MariaDB -> MariaDB path (database ferry_bench_copy) have this same definition.
CREATE TABLE orders (
  id          BIGINT        NOT NULL PRIMARY KEY,
  customer_id INT           NOT NULL,
  sku         VARCHAR(32)   NOT NULL,
  qty         INT           NOT NULL,
  price       DECIMAL(12,2) NOT NULL,
  status      VARCHAR(16)   NULL,
  created_at  DATETIME      NOT NULL,
  note        VARCHAR(200)  NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
