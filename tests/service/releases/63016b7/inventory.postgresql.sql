CREATE TABLE movements (
    movement_id bigint NOT NULL,
    location_id character varying(16) NOT NULL,
    sku character varying(32) NOT NULL,
    kind character varying(16) NOT NULL,
    on_hand_delta bigint NOT NULL,
    reserved_delta bigint NOT NULL,
    reference character varying(128) NOT NULL,
    reason character varying(500) NOT NULL,
    create_time timestamp with time zone NOT NULL,
    in_transit_delta bigint NOT NULL
);

CREATE SEQUENCE movements_movement_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE movements_movement_id_seq OWNED BY movements.movement_id;

CREATE TABLE products (
    sku character varying(32) NOT NULL,
    name character varying(200) NOT NULL,
    price_minor bigint NOT NULL,
    currency_code character varying(3) NOT NULL,
    final_sale boolean NOT NULL
);

CREATE TABLE reservation_lines (
    reservation_id character varying(128) NOT NULL,
    location_id character varying(16) NOT NULL,
    sku character varying(32) NOT NULL,
    quantity bigint NOT NULL,
    transferring bigint NOT NULL,
    CONSTRAINT ck_reservation_line_quantity CHECK ((quantity > 0)),
    CONSTRAINT ck_reservation_line_transferring CHECK (((transferring >= 0) AND (transferring <= quantity)))
);

CREATE TABLE reservations (
    reservation_id character varying(128) NOT NULL,
    order_id character varying(32) NOT NULL,
    state character varying(16) NOT NULL,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    expire_time timestamp with time zone,
    owner_id character varying(64) NOT NULL
);

CREATE TABLE stock_levels (
    location_id character varying(16) NOT NULL,
    sku character varying(32) NOT NULL,
    on_hand bigint NOT NULL,
    reserved bigint NOT NULL,
    safety_stock bigint NOT NULL,
    in_transit bigint NOT NULL,
    CONSTRAINT ck_stock_in_transit_not_negative CHECK ((in_transit >= 0)),
    CONSTRAINT ck_stock_on_hand_not_negative CHECK ((on_hand >= 0)),
    CONSTRAINT ck_stock_reserved_not_negative CHECK ((reserved >= 0)),
    CONSTRAINT ck_stock_reserved_within_on_hand CHECK ((reserved <= on_hand)),
    CONSTRAINT ck_stock_safety_not_negative CHECK ((safety_stock >= 0))
);

CREATE TABLE transfer_lines (
    transfer_id character varying(128) NOT NULL,
    sku character varying(32) NOT NULL,
    quantity bigint NOT NULL,
    received bigint NOT NULL,
    CONSTRAINT ck_transfer_line_quantity CHECK ((quantity > 0)),
    CONSTRAINT ck_transfer_line_received CHECK (((received >= 0) AND (received <= quantity)))
);

CREATE TABLE transfers (
    transfer_id character varying(128) NOT NULL,
    reservation_id character varying(128) NOT NULL,
    source_id character varying(16) NOT NULL,
    destination_id character varying(16) NOT NULL,
    state character varying(16) NOT NULL,
    create_time timestamp with time zone NOT NULL,
    ship_time timestamp with time zone,
    receive_time timestamp with time zone
);

ALTER TABLE ONLY movements ALTER COLUMN movement_id SET DEFAULT nextval('movements_movement_id_seq'::regclass);

INSERT INTO movements (movement_id, location_id, sku, kind, on_hand_delta, reserved_delta, reference, reason, create_time, in_transit_delta) VALUES (1, 'STORE-001', 'SKU-1', 'RECEIPT', 10, 0, 'req-fac1131052e166fd', 'delivery', '2026-12-02 01:50:38.11924+00', 0);
INSERT INTO movements (movement_id, location_id, sku, kind, on_hand_delta, reserved_delta, reference, reason, create_time, in_transit_delta) VALUES (2, 'DC-01', 'SKU-2', 'RECEIPT', 4, 0, 'req-2a63f507b046e7a9', 'delivery', '2026-12-02 01:50:38.307103+00', 0);
INSERT INTO movements (movement_id, location_id, sku, kind, on_hand_delta, reserved_delta, reference, reason, create_time, in_transit_delta) VALUES (3, 'DC-01', 'SKU-2', 'RESERVE', 0, 1, 'res-ORD-0000000002', 'order ORD-0000000002', '2026-12-02 01:50:38.386366+00', 0);
INSERT INTO movements (movement_id, location_id, sku, kind, on_hand_delta, reserved_delta, reference, reason, create_time, in_transit_delta) VALUES (4, 'STORE-001', 'SKU-1', 'RESERVE', 0, 2, 'res-ORD-0000000002', 'order ORD-0000000002', '2026-12-02 01:50:38.386366+00', 0);
INSERT INTO movements (movement_id, location_id, sku, kind, on_hand_delta, reserved_delta, reference, reason, create_time, in_transit_delta) VALUES (5, 'STORE-001', 'SKU-2', 'TRANSFER_IN', 0, 0, 'transfer-ORD-0000000002-1/created', 'in transit from DC-01', '2026-12-02 01:50:38.415601+00', 1);
INSERT INTO movements (movement_id, location_id, sku, kind, on_hand_delta, reserved_delta, reference, reason, create_time, in_transit_delta) VALUES (6, 'DC-01', 'SKU-2', 'TRANSFER_OUT', -1, -1, 'transfer-ORD-0000000002-1', 'shipped to STORE-001', '2026-12-02 01:50:38.459651+00', 0);

INSERT INTO products (sku, name, price_minor, currency_code, final_sale) VALUES ('SKU-1', 'Kettle', 899, 'EUR', false);
INSERT INTO products (sku, name, price_minor, currency_code, final_sale) VALUES ('SKU-2', 'Mug', 899, 'EUR', true);

INSERT INTO reservation_lines (reservation_id, location_id, sku, quantity, transferring) VALUES ('res-ORD-0000000002', 'STORE-001', 'SKU-1', 2, 0);

INSERT INTO reservations (reservation_id, order_id, state, create_time, update_time, expire_time, owner_id) VALUES ('res-ORD-0000000002', 'ORD-0000000002', 'ACTIVE', '2026-12-02 01:50:38.386366+00', '2026-12-02 01:50:38.459651+00', NULL, '');

INSERT INTO stock_levels (location_id, sku, on_hand, reserved, safety_stock, in_transit) VALUES ('STORE-001', 'SKU-1', 10, 2, 0, 0);
INSERT INTO stock_levels (location_id, sku, on_hand, reserved, safety_stock, in_transit) VALUES ('STORE-001', 'SKU-2', 0, 0, 0, 1);
INSERT INTO stock_levels (location_id, sku, on_hand, reserved, safety_stock, in_transit) VALUES ('DC-01', 'SKU-2', 3, 0, 0, 0);

INSERT INTO transfer_lines (transfer_id, sku, quantity, received) VALUES ('transfer-ORD-0000000002-1', 'SKU-2', 1, 0);

INSERT INTO transfers (transfer_id, reservation_id, source_id, destination_id, state, create_time, ship_time, receive_time) VALUES ('transfer-ORD-0000000002-1', 'res-ORD-0000000002', 'DC-01', 'STORE-001', 'SHIPPED', '2026-12-02 01:50:38.415601+00', '2026-12-02 01:50:38.459651+00', NULL);

SELECT pg_catalog.setval('movements_movement_id_seq', 6, true);

ALTER TABLE ONLY movements
    ADD CONSTRAINT movements_pkey PRIMARY KEY (movement_id);

ALTER TABLE ONLY products
    ADD CONSTRAINT products_pkey PRIMARY KEY (sku);

ALTER TABLE ONLY reservation_lines
    ADD CONSTRAINT reservation_lines_pkey PRIMARY KEY (reservation_id, location_id, sku);

ALTER TABLE ONLY reservations
    ADD CONSTRAINT reservations_pkey PRIMARY KEY (reservation_id);

ALTER TABLE ONLY stock_levels
    ADD CONSTRAINT stock_levels_pkey PRIMARY KEY (location_id, sku);

ALTER TABLE ONLY transfer_lines
    ADD CONSTRAINT transfer_lines_pkey PRIMARY KEY (transfer_id, sku);

ALTER TABLE ONLY transfers
    ADD CONSTRAINT transfers_pkey PRIMARY KEY (transfer_id);

ALTER TABLE ONLY movements
    ADD CONSTRAINT uq_movement_once UNIQUE (reference, location_id, sku, kind);

CREATE INDEX ix_movements_stock ON movements USING btree (location_id, sku, movement_id);

CREATE INDEX ix_reservations_expiry ON reservations USING btree (state, expire_time);

CREATE INDEX ix_reservations_order_id ON reservations USING btree (order_id);

CREATE INDEX ix_transfers_reservation_id ON transfers USING btree (reservation_id);

ALTER TABLE ONLY reservation_lines
    ADD CONSTRAINT reservation_lines_reservation_id_fkey FOREIGN KEY (reservation_id) REFERENCES reservations(reservation_id);

ALTER TABLE ONLY stock_levels
    ADD CONSTRAINT stock_levels_sku_fkey FOREIGN KEY (sku) REFERENCES products(sku);

ALTER TABLE ONLY transfer_lines
    ADD CONSTRAINT transfer_lines_transfer_id_fkey FOREIGN KEY (transfer_id) REFERENCES transfers(transfer_id);
