CREATE TABLE customer_identities (
    kind character varying(32) NOT NULL,
    value character varying(128) NOT NULL,
    customer_id character varying(64) NOT NULL,
    "position" integer NOT NULL,
    link_time timestamp with time zone NOT NULL
);

CREATE TABLE customer_preferences (
    customer_id character varying(64) NOT NULL,
    kind character varying(32) NOT NULL,
    "position" integer NOT NULL,
    channels character varying(64) NOT NULL
);

CREATE TABLE customer_requests (
    customer_id character varying(64) NOT NULL,
    request_id character varying(128) NOT NULL,
    fingerprint character varying(32) NOT NULL,
    answer text NOT NULL,
    "time" timestamp with time zone NOT NULL
);

CREATE TABLE customers (
    customer_id character varying(64) NOT NULL,
    email character varying(254) NOT NULL,
    email_key character varying(254) NOT NULL,
    phone character varying(16) NOT NULL,
    locale character varying(8) NOT NULL,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL
);

CREATE TABLE order_events (
    id integer NOT NULL,
    order_id character varying(32) NOT NULL,
    "time" timestamp with time zone NOT NULL,
    type character varying(64) NOT NULL,
    detail character varying(500) NOT NULL,
    state character varying(32) NOT NULL,
    request_id character varying(128),
    client_request_id character varying(128) NOT NULL
);

CREATE SEQUENCE order_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE order_events_id_seq OWNED BY order_events.id;

CREATE TABLE order_line_allocations (
    order_id character varying(32) NOT NULL,
    line_number integer NOT NULL,
    "position" integer NOT NULL,
    location_id character varying(16) NOT NULL,
    quantity bigint NOT NULL
);

CREATE TABLE order_lines (
    order_id character varying(32) NOT NULL,
    line_number integer NOT NULL,
    sku character varying(32) NOT NULL,
    name character varying(500) NOT NULL,
    quantity bigint NOT NULL,
    unit_price_minor bigint NOT NULL,
    source_location_id character varying(16) NOT NULL,
    cancelled_quantity bigint NOT NULL,
    cancel_reason character varying(500) NOT NULL,
    final_sale boolean NOT NULL
);

CREATE TABLE order_requests (
    order_id character varying(32) NOT NULL,
    request_id character varying(128) NOT NULL,
    "time" timestamp with time zone NOT NULL
);

CREATE TABLE order_return_lines (
    return_id character varying(32) NOT NULL,
    "position" integer NOT NULL,
    line_number integer NOT NULL,
    sku character varying(32) NOT NULL,
    quantity bigint NOT NULL,
    condition character varying(16) NOT NULL,
    refund_minor bigint NOT NULL,
    currency character varying(3) NOT NULL
);

CREATE TABLE order_returns (
    return_id character varying(32) NOT NULL,
    order_id character varying(32) NOT NULL,
    customer_id character varying(64) NOT NULL,
    state character varying(16) NOT NULL,
    method character varying(16) NOT NULL,
    rma_number character varying(32) NOT NULL,
    receiving_location_id character varying(16) NOT NULL,
    reason character varying(500) NOT NULL,
    override_reason character varying(500) NOT NULL,
    overridden_by character varying(128) NOT NULL,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    expire_time timestamp with time zone,
    receive_time timestamp with time zone,
    refund_time timestamp with time zone,
    request_id character varying(128) NOT NULL,
    receive_request_id character varying(128) NOT NULL,
    refund_payment_id character varying(40) NOT NULL
);

CREATE TABLE order_route_candidates (
    order_id character varying(32) NOT NULL,
    "position" integer NOT NULL,
    location_id character varying(16) NOT NULL,
    verdict character varying(16) NOT NULL,
    reason character varying(500) NOT NULL,
    ready_by timestamp with time zone,
    distance_km double precision NOT NULL
);

CREATE TABLE order_shipment_lines (
    order_id character varying(32) NOT NULL,
    transfer_id character varying(64) NOT NULL,
    "position" integer NOT NULL,
    sku character varying(32) NOT NULL,
    quantity bigint NOT NULL
);

CREATE TABLE order_shipments (
    order_id character varying(32) NOT NULL,
    transfer_id character varying(64) NOT NULL,
    number integer NOT NULL,
    source_id character varying(16) NOT NULL,
    state character varying(16) NOT NULL,
    expected_arrival timestamp with time zone,
    ready_by timestamp with time zone,
    late boolean NOT NULL,
    update_time timestamp with time zone NOT NULL
);

CREATE TABLE orders (
    order_id character varying(32) NOT NULL,
    customer_id character varying(64) NOT NULL,
    customer_email character varying(320) NOT NULL,
    channel character varying(16) NOT NULL,
    pickup_store_id character varying(16) NOT NULL,
    fulfillment_type character varying(32) NOT NULL,
    state character varying(32) NOT NULL,
    currency character varying(3) NOT NULL,
    total_minor bigint NOT NULL,
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    ready_by timestamp with time zone,
    pick_deadline timestamp with time zone,
    pickup_expire_time timestamp with time zone,
    pickup_code character varying(32) NOT NULL,
    state_reason character varying(500) NOT NULL,
    pick_overdue boolean NOT NULL,
    pickup_locked boolean NOT NULL,
    collected_by character varying(500) NOT NULL,
    transfer_late boolean NOT NULL,
    receipt_number character varying(64) NOT NULL,
    handover_time timestamp with time zone,
    arrival_state character varying(16) NOT NULL,
    arrival_time timestamp with time zone,
    vehicle_description character varying(60) NOT NULL,
    arrival_bay character varying(16) NOT NULL,
    collector_name character varying(80) NOT NULL,
    pickup_extensions integer NOT NULL,
    placed_store_id character varying(16) NOT NULL,
    placed_by_associate character varying(100) NOT NULL,
    placed_by_terminal character varying(64) NOT NULL,
    payment_due_time timestamp with time zone
);

CREATE TABLE payments (
    id integer NOT NULL,
    payment_id character varying(40) NOT NULL,
    order_id character varying(32) NOT NULL,
    operation character varying(16) NOT NULL,
    status character varying(16) NOT NULL,
    amount_minor bigint NOT NULL,
    currency character varying(3) NOT NULL,
    provider character varying(32) NOT NULL,
    provider_reference character varying(128) NOT NULL,
    idempotency_key character varying(128) NOT NULL,
    decline_reason character varying(128) NOT NULL,
    authorization_id character varying(40) NOT NULL,
    "time" timestamp with time zone NOT NULL,
    expire_time timestamp with time zone,
    return_id character varying(32) NOT NULL
);

CREATE SEQUENCE payments_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE payments_id_seq OWNED BY payments.id;

ALTER TABLE ONLY order_events ALTER COLUMN id SET DEFAULT nextval('order_events_id_seq'::regclass);

ALTER TABLE ONLY payments ALTER COLUMN id SET DEFAULT nextval('payments_id_seq'::regclass);

INSERT INTO customer_requests (customer_id, request_id, fingerprint, answer, "time") VALUES ('cust-1001', 'req-bf3a015988aa8322', '0c3e1306d3eb71dfb9a06539c33e9ed5', '{"customer_id": "cust-1001", "email": "ada@example.com", "phone": "+31612345678", "locale": "fr", "preferences": [], "identities": [], "update_time": "2026-12-02T01:50:45.219788+00:00"}', '2026-12-02 01:50:45.219788+00');

INSERT INTO customers (customer_id, email, email_key, phone, locale, create_time, update_time) VALUES ('cust-1001', 'ada@example.com', 'ada@example.com', '+31612345678', 'fr', '2026-12-02 01:50:45.219788+00', '2026-12-02 01:50:45.219788+00');

INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (1, 'ORD-0000000001', '2026-12-02 01:50:43.183059+00', 'order_created', '', 'PENDING', 'req-a7ab5ed41650769b', '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (2, 'ORD-0000000001', '2026-12-02 01:50:43.379684+00', 'payment_authorized', '3000 EUR', 'PENDING', NULL, '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (3, 'ORD-0000000001', '2026-12-02 01:50:43.551706+00', 'payment_captured', '3000 EUR', 'PENDING', NULL, '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (4, 'ORD-0000000001', '2026-12-02 01:50:43.587854+00', 'order_awaiting_pick', '', 'AWAITING_PICK', 'req-52720f5d30d45a47', '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (5, 'ORD-0000000001', '2026-12-02 01:50:43.708636+00', 'order_ready_for_pickup', '', 'READY_FOR_PICKUP', 'req-c0bca4ee7c9f0252', '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (6, 'ORD-0000000001', '2026-12-02 01:50:43.81554+00', 'order_picked_up', '', 'PICKED_UP', 'req-4db8c7cbb7026d0e', '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (7, 'ORD-0000000001', '2026-12-02 01:50:43.836297+00', 'return_received', 'RET-CE8JP4GW81: 1 x SKU-2', 'PICKED_UP', 'req-e159eaee2cd02592', '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (8, 'ORD-0000000002', '2026-12-02 01:50:44.013792+00', 'order_created', '', 'PENDING', 'req-5c760b005b48a838', '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (9, 'ORD-0000000002', '2026-12-02 01:50:44.232103+00', 'order_routed', 'ship-to-store from STORE-001, DC-01', 'PENDING', 'req-370bf4a7df7d316e', '');
INSERT INTO order_events (id, order_id, "time", type, detail, state, request_id, client_request_id) VALUES (10, 'ORD-0000000002', '2026-12-02 01:50:44.351674+00', 'transfer_created', '', 'PENDING', 'req-a0083fcb38d934a2', '');

INSERT INTO order_line_allocations (order_id, line_number, "position", location_id, quantity) VALUES ('ORD-0000000002', 1, 0, 'STORE-001', 2);
INSERT INTO order_line_allocations (order_id, line_number, "position", location_id, quantity) VALUES ('ORD-0000000002', 2, 0, 'DC-01', 1);

INSERT INTO order_lines (order_id, line_number, sku, name, quantity, unit_price_minor, source_location_id, cancelled_quantity, cancel_reason, final_sale) VALUES ('ORD-0000000001', 1, 'SKU-1', 'Kettle', 2, 1250, 'STORE-001', 0, '', false);
INSERT INTO order_lines (order_id, line_number, sku, name, quantity, unit_price_minor, source_location_id, cancelled_quantity, cancel_reason, final_sale) VALUES ('ORD-0000000001', 2, 'SKU-2', 'Mug', 1, 500, 'STORE-001', 0, '', false);
INSERT INTO order_lines (order_id, line_number, sku, name, quantity, unit_price_minor, source_location_id, cancelled_quantity, cancel_reason, final_sale) VALUES ('ORD-0000000002', 1, 'SKU-1', 'Kettle', 2, 1250, 'STORE-001', 0, '', false);
INSERT INTO order_lines (order_id, line_number, sku, name, quantity, unit_price_minor, source_location_id, cancelled_quantity, cancel_reason, final_sale) VALUES ('ORD-0000000002', 2, 'SKU-2', 'Mug', 1, 500, 'DC-01', 0, '', false);

INSERT INTO order_return_lines (return_id, "position", line_number, sku, quantity, condition, refund_minor, currency) VALUES ('RET-CE8JP4GW81', 1, 2, 'SKU-2', 1, 'RESELLABLE', 500, 'EUR');

INSERT INTO order_returns (return_id, order_id, customer_id, state, method, rma_number, receiving_location_id, reason, override_reason, overridden_by, create_time, update_time, expire_time, receive_time, refund_time, request_id, receive_request_id, refund_payment_id) VALUES ('RET-CE8JP4GW81', 'ORD-0000000001', 'cust-1001', 'RECEIVED', 'IN_STORE', '', 'STORE-002', '', '', '', '2026-12-02 01:50:43.836297+00', '2026-12-02 01:50:43.836297+00', NULL, '2026-12-02 01:50:43.836297+00', NULL, 'req-e159eaee2cd02592', '', '');

INSERT INTO order_shipment_lines (order_id, transfer_id, "position", sku, quantity) VALUES ('ORD-0000000002', 'transfer-ORD-0000000002-1', 0, 'SKU-1', 2);

INSERT INTO order_shipments (order_id, transfer_id, number, source_id, state, expected_arrival, ready_by, late, update_time) VALUES ('ORD-0000000002', 'transfer-ORD-0000000002-1', 1, 'DC-01', 'PLANNED', NULL, NULL, false, '2026-12-02 01:50:44.351674+00');

INSERT INTO orders (order_id, customer_id, customer_email, channel, pickup_store_id, fulfillment_type, state, currency, total_minor, create_time, update_time, ready_by, pick_deadline, pickup_expire_time, pickup_code, state_reason, pick_overdue, pickup_locked, collected_by, transfer_late, receipt_number, handover_time, arrival_state, arrival_time, vehicle_description, arrival_bay, collector_name, pickup_extensions, placed_store_id, placed_by_associate, placed_by_terminal, payment_due_time) VALUES ('ORD-0000000001', 'cust-1001', 'ada@example.com', 'WEB', 'STORE-001', 'PICKUP_IN_STORE', 'PICKED_UP', 'EUR', 3000, '2026-12-02 01:50:43.183059+00', '2026-12-02 01:50:43.836297+00', NULL, NULL, NULL, 'PICK-1234', '', false, false, 'Ada', false, '', '2026-12-02 01:50:43.81554+00', '', NULL, '', '', '', 0, '', '', '', NULL);
INSERT INTO orders (order_id, customer_id, customer_email, channel, pickup_store_id, fulfillment_type, state, currency, total_minor, create_time, update_time, ready_by, pick_deadline, pickup_expire_time, pickup_code, state_reason, pick_overdue, pickup_locked, collected_by, transfer_late, receipt_number, handover_time, arrival_state, arrival_time, vehicle_description, arrival_bay, collector_name, pickup_extensions, placed_store_id, placed_by_associate, placed_by_terminal, payment_due_time) VALUES ('ORD-0000000002', 'cust-1001', 'ada@example.com', 'WEB', 'STORE-001', 'SHIP_TO_STORE', 'PENDING', 'EUR', 3000, '2026-12-02 01:50:44.013792+00', '2026-12-02 01:50:44.351674+00', NULL, NULL, NULL, '', '', false, false, '', false, '', NULL, '', NULL, '', '', '', 0, '', '', '', NULL);

INSERT INTO payments (id, payment_id, order_id, operation, status, amount_minor, currency, provider, provider_reference, idempotency_key, decline_reason, authorization_id, "time", expire_time, return_id) VALUES (1, 'PAY-66B42F6BFB0B4CF4B64C', 'ORD-0000000001', 'AUTHORIZE', 'SUCCEEDED', 3000, 'EUR', 'sandbox', 'sbx_auth_7d42f7bcbf239109d20c', 'req-a053b6e770e1a7ff', '', '', '2026-12-02 01:50:43.379684+00', '2026-12-09 01:50:43.379684+00', '');
INSERT INTO payments (id, payment_id, order_id, operation, status, amount_minor, currency, provider, provider_reference, idempotency_key, decline_reason, authorization_id, "time", expire_time, return_id) VALUES (2, 'PAY-23D9B3C68C0747BA86C1', 'ORD-0000000001', 'CAPTURE', 'SUCCEEDED', 3000, 'EUR', 'sandbox', 'sbx_cap_2180539e132fde741081', 'req-b555e71906cdd030', '', 'PAY-66B42F6BFB0B4CF4B64C', '2026-12-02 01:50:43.551706+00', NULL, '');

SELECT pg_catalog.setval('order_events_id_seq', 10, true);

SELECT pg_catalog.setval('payments_id_seq', 2, true);

ALTER TABLE ONLY customer_identities
    ADD CONSTRAINT customer_identities_pkey PRIMARY KEY (kind, value);

ALTER TABLE ONLY customer_preferences
    ADD CONSTRAINT customer_preferences_pkey PRIMARY KEY (customer_id, kind);

ALTER TABLE ONLY customer_requests
    ADD CONSTRAINT customer_requests_pkey PRIMARY KEY (customer_id, request_id);

ALTER TABLE ONLY customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (customer_id);

ALTER TABLE ONLY order_events
    ADD CONSTRAINT order_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY order_line_allocations
    ADD CONSTRAINT order_line_allocations_pkey PRIMARY KEY (order_id, line_number, "position");

ALTER TABLE ONLY order_lines
    ADD CONSTRAINT order_lines_pkey PRIMARY KEY (order_id, line_number);

ALTER TABLE ONLY order_requests
    ADD CONSTRAINT order_requests_pkey PRIMARY KEY (order_id, request_id);

ALTER TABLE ONLY order_return_lines
    ADD CONSTRAINT order_return_lines_pkey PRIMARY KEY (return_id, "position");

ALTER TABLE ONLY order_returns
    ADD CONSTRAINT order_returns_pkey PRIMARY KEY (return_id);

ALTER TABLE ONLY order_route_candidates
    ADD CONSTRAINT order_route_candidates_pkey PRIMARY KEY (order_id, "position");

ALTER TABLE ONLY order_shipment_lines
    ADD CONSTRAINT order_shipment_lines_pkey PRIMARY KEY (order_id, transfer_id, "position");

ALTER TABLE ONLY order_shipments
    ADD CONSTRAINT order_shipments_pkey PRIMARY KEY (order_id, transfer_id);

ALTER TABLE ONLY orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (order_id);

ALTER TABLE ONLY payments
    ADD CONSTRAINT payments_payment_id_key UNIQUE (payment_id);

ALTER TABLE ONLY payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id);

ALTER TABLE ONLY order_events
    ADD CONSTRAINT uq_order_events_request UNIQUE (order_id, request_id);

ALTER TABLE ONLY payments
    ADD CONSTRAINT uq_payments_idempotency_key UNIQUE (order_id, idempotency_key);

CREATE INDEX ix_customer_identities_customer_id ON customer_identities USING btree (customer_id);

CREATE INDEX ix_customers_email_key ON customers USING btree (email_key);

CREATE INDEX ix_customers_phone ON customers USING btree (phone);

CREATE INDEX ix_order_events_order_id ON order_events USING btree (order_id);

CREATE INDEX ix_order_returns_order_created ON order_returns USING btree (order_id, create_time);

CREATE INDEX ix_orders_customer_created ON orders USING btree (customer_id, create_time);

CREATE INDEX ix_orders_store_state ON orders USING btree (pickup_store_id, state);

CREATE INDEX ix_payments_order_id ON payments USING btree (order_id);

ALTER TABLE ONLY customer_identities
    ADD CONSTRAINT customer_identities_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(customer_id);

ALTER TABLE ONLY customer_preferences
    ADD CONSTRAINT customer_preferences_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(customer_id);

ALTER TABLE ONLY customer_requests
    ADD CONSTRAINT customer_requests_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(customer_id);

ALTER TABLE ONLY order_events
    ADD CONSTRAINT order_events_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);

ALTER TABLE ONLY order_line_allocations
    ADD CONSTRAINT order_line_allocations_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);

ALTER TABLE ONLY order_lines
    ADD CONSTRAINT order_lines_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);

ALTER TABLE ONLY order_requests
    ADD CONSTRAINT order_requests_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);

ALTER TABLE ONLY order_return_lines
    ADD CONSTRAINT order_return_lines_return_id_fkey FOREIGN KEY (return_id) REFERENCES order_returns(return_id);

ALTER TABLE ONLY order_returns
    ADD CONSTRAINT order_returns_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);

ALTER TABLE ONLY order_route_candidates
    ADD CONSTRAINT order_route_candidates_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);

ALTER TABLE ONLY order_shipment_lines
    ADD CONSTRAINT order_shipment_lines_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);

ALTER TABLE ONLY order_shipments
    ADD CONSTRAINT order_shipments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);

ALTER TABLE ONLY payments
    ADD CONSTRAINT payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(order_id);
