BEGIN TRANSACTION;
CREATE TABLE customer_identities (
	kind VARCHAR(32) NOT NULL, 
	value VARCHAR(128) NOT NULL, 
	customer_id VARCHAR(64) NOT NULL, 
	position INTEGER NOT NULL, 
	link_time DATETIME NOT NULL, 
	PRIMARY KEY (kind, value), 
	FOREIGN KEY(customer_id) REFERENCES customers (customer_id)
);
CREATE TABLE customer_preferences (
	customer_id VARCHAR(64) NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	position INTEGER NOT NULL, 
	channels VARCHAR(64) NOT NULL, 
	PRIMARY KEY (customer_id, kind), 
	FOREIGN KEY(customer_id) REFERENCES customers (customer_id)
);
CREATE TABLE customer_requests (
	customer_id VARCHAR(64) NOT NULL, 
	request_id VARCHAR(128) NOT NULL, 
	fingerprint VARCHAR(32) NOT NULL, 
	answer TEXT NOT NULL, 
	time DATETIME NOT NULL, 
	PRIMARY KEY (customer_id, request_id), 
	FOREIGN KEY(customer_id) REFERENCES customers (customer_id)
);
INSERT INTO "customer_requests" VALUES('cust-1001','req-cafba2546448441e','0c3e1306d3eb71dfb9a06539c33e9ed5','{"customer_id": "cust-1001", "email": "ada@example.com", "phone": "+31612345678", "locale": "fr", "preferences": [], "identities": [], "update_time": "2026-12-02T01:50:41.372048+00:00"}','2026-12-02 01:50:41.372048');
CREATE TABLE customers (
	customer_id VARCHAR(64) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	email_key VARCHAR(254) NOT NULL, 
	phone VARCHAR(16) NOT NULL, 
	locale VARCHAR(8) NOT NULL, 
	create_time DATETIME NOT NULL, 
	update_time DATETIME NOT NULL, 
	PRIMARY KEY (customer_id)
);
INSERT INTO "customers" VALUES('cust-1001','ada@example.com','ada@example.com','+31612345678','fr','2026-12-02 01:50:41.372048','2026-12-02 01:50:41.372048');
CREATE TABLE order_events (
	id INTEGER NOT NULL, 
	order_id VARCHAR(32) NOT NULL, 
	time DATETIME NOT NULL, 
	type VARCHAR(64) NOT NULL, 
	detail VARCHAR(500) NOT NULL, 
	state VARCHAR(32) NOT NULL, 
	request_id VARCHAR(128), 
	client_request_id VARCHAR(128) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_order_events_request UNIQUE (order_id, request_id), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
INSERT INTO "order_events" VALUES(1,'ORD-0000000001','2026-12-02 01:50:40.661595','order_created','','PENDING','req-e2b8ee475c31fe50','');
INSERT INTO "order_events" VALUES(2,'ORD-0000000001','2026-12-02 01:50:40.859352','payment_authorized','3000 EUR','PENDING',NULL,'');
INSERT INTO "order_events" VALUES(3,'ORD-0000000001','2026-12-02 01:50:40.969576','payment_captured','3000 EUR','PENDING',NULL,'');
INSERT INTO "order_events" VALUES(4,'ORD-0000000001','2026-12-02 01:50:40.976334','order_awaiting_pick','','AWAITING_PICK','req-d15bebe7ce46af5e','');
INSERT INTO "order_events" VALUES(5,'ORD-0000000001','2026-12-02 01:50:40.998005','order_ready_for_pickup','','READY_FOR_PICKUP','req-4318d880f765efd4','');
INSERT INTO "order_events" VALUES(6,'ORD-0000000001','2026-12-02 01:50:41.006045','order_picked_up','','PICKED_UP','req-4800cbc813358972','');
INSERT INTO "order_events" VALUES(7,'ORD-0000000001','2026-12-02 01:50:41.022778','return_received','RET-WZATY0PNW2: 1 x SKU-2','PICKED_UP','req-6ee0664eec944a4b','');
INSERT INTO "order_events" VALUES(8,'ORD-0000000002','2026-12-02 01:50:41.107781','order_created','','PENDING','req-ecea1e6117db9303','');
INSERT INTO "order_events" VALUES(9,'ORD-0000000002','2026-12-02 01:50:41.120282','order_routed','ship-to-store from STORE-001, DC-01','PENDING','req-bd1d3a7790f42348','');
INSERT INTO "order_events" VALUES(10,'ORD-0000000002','2026-12-02 01:50:41.184836','transfer_created','','PENDING','req-5baba701cebac297','');
CREATE TABLE order_line_allocations (
	order_id VARCHAR(32) NOT NULL, 
	line_number INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	location_id VARCHAR(16) NOT NULL, 
	quantity BIGINT NOT NULL, 
	PRIMARY KEY (order_id, line_number, position), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
INSERT INTO "order_line_allocations" VALUES('ORD-0000000002',1,0,'STORE-001',2);
INSERT INTO "order_line_allocations" VALUES('ORD-0000000002',2,0,'DC-01',1);
CREATE TABLE order_lines (
	order_id VARCHAR(32) NOT NULL, 
	line_number INTEGER NOT NULL, 
	sku VARCHAR(32) NOT NULL, 
	name VARCHAR(500) NOT NULL, 
	quantity BIGINT NOT NULL, 
	unit_price_minor BIGINT NOT NULL, 
	source_location_id VARCHAR(16) NOT NULL, 
	cancelled_quantity BIGINT NOT NULL, 
	cancel_reason VARCHAR(500) NOT NULL, 
	final_sale BOOLEAN NOT NULL, 
	PRIMARY KEY (order_id, line_number), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
INSERT INTO "order_lines" VALUES('ORD-0000000001',1,'SKU-1','Kettle',2,1250,'STORE-001',0,'',0);
INSERT INTO "order_lines" VALUES('ORD-0000000001',2,'SKU-2','Mug',1,500,'STORE-001',0,'',0);
INSERT INTO "order_lines" VALUES('ORD-0000000002',1,'SKU-1','Kettle',2,1250,'STORE-001',0,'',0);
INSERT INTO "order_lines" VALUES('ORD-0000000002',2,'SKU-2','Mug',1,500,'DC-01',0,'',0);
CREATE TABLE order_requests (
	order_id VARCHAR(32) NOT NULL, 
	request_id VARCHAR(128) NOT NULL, 
	time DATETIME NOT NULL, 
	PRIMARY KEY (order_id, request_id), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
CREATE TABLE order_return_lines (
	return_id VARCHAR(32) NOT NULL, 
	position INTEGER NOT NULL, 
	line_number INTEGER NOT NULL, 
	sku VARCHAR(32) NOT NULL, 
	quantity BIGINT NOT NULL, 
	condition VARCHAR(16) NOT NULL, 
	refund_minor BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	PRIMARY KEY (return_id, position), 
	FOREIGN KEY(return_id) REFERENCES order_returns (return_id)
);
INSERT INTO "order_return_lines" VALUES('RET-WZATY0PNW2',1,2,'SKU-2',1,'RESELLABLE',500,'EUR');
CREATE TABLE order_returns (
	return_id VARCHAR(32) NOT NULL, 
	order_id VARCHAR(32) NOT NULL, 
	customer_id VARCHAR(64) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	method VARCHAR(16) NOT NULL, 
	rma_number VARCHAR(32) NOT NULL, 
	receiving_location_id VARCHAR(16) NOT NULL, 
	reason VARCHAR(500) NOT NULL, 
	override_reason VARCHAR(500) NOT NULL, 
	overridden_by VARCHAR(128) NOT NULL, 
	create_time DATETIME NOT NULL, 
	update_time DATETIME NOT NULL, 
	expire_time DATETIME, 
	receive_time DATETIME, 
	refund_time DATETIME, 
	request_id VARCHAR(128) NOT NULL, 
	receive_request_id VARCHAR(128) NOT NULL, 
	refund_payment_id VARCHAR(40) NOT NULL, 
	PRIMARY KEY (return_id), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
INSERT INTO "order_returns" VALUES('RET-WZATY0PNW2','ORD-0000000001','cust-1001','RECEIVED','IN_STORE','','STORE-002','','','','2026-12-02 01:50:41.022778','2026-12-02 01:50:41.022778',NULL,'2026-12-02 01:50:41.022778',NULL,'req-6ee0664eec944a4b','','');
CREATE TABLE order_route_candidates (
	order_id VARCHAR(32) NOT NULL, 
	position INTEGER NOT NULL, 
	location_id VARCHAR(16) NOT NULL, 
	verdict VARCHAR(16) NOT NULL, 
	reason VARCHAR(500) NOT NULL, 
	ready_by DATETIME, 
	distance_km FLOAT NOT NULL, 
	PRIMARY KEY (order_id, position), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
CREATE TABLE order_shipment_lines (
	order_id VARCHAR(32) NOT NULL, 
	transfer_id VARCHAR(64) NOT NULL, 
	position INTEGER NOT NULL, 
	sku VARCHAR(32) NOT NULL, 
	quantity BIGINT NOT NULL, 
	PRIMARY KEY (order_id, transfer_id, position), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
INSERT INTO "order_shipment_lines" VALUES('ORD-0000000002','transfer-ORD-0000000002-1',0,'SKU-1',2);
CREATE TABLE order_shipments (
	order_id VARCHAR(32) NOT NULL, 
	transfer_id VARCHAR(64) NOT NULL, 
	number INTEGER NOT NULL, 
	source_id VARCHAR(16) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	expected_arrival DATETIME, 
	ready_by DATETIME, 
	late BOOLEAN NOT NULL, 
	update_time DATETIME NOT NULL, 
	PRIMARY KEY (order_id, transfer_id), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
INSERT INTO "order_shipments" VALUES('ORD-0000000002','transfer-ORD-0000000002-1',1,'DC-01','PLANNED',NULL,NULL,0,'2026-12-02 01:50:41.184836');
CREATE TABLE orders (
	order_id VARCHAR(32) NOT NULL, 
	customer_id VARCHAR(64) NOT NULL, 
	customer_email VARCHAR(320) NOT NULL, 
	channel VARCHAR(16) NOT NULL, 
	pickup_store_id VARCHAR(16) NOT NULL, 
	fulfillment_type VARCHAR(32) NOT NULL, 
	state VARCHAR(32) NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	total_minor BIGINT NOT NULL, 
	create_time DATETIME NOT NULL, 
	update_time DATETIME NOT NULL, 
	ready_by DATETIME, 
	pick_deadline DATETIME, 
	pickup_expire_time DATETIME, 
	pickup_code VARCHAR(32) NOT NULL, 
	state_reason VARCHAR(500) NOT NULL, 
	pick_overdue BOOLEAN NOT NULL, 
	pickup_locked BOOLEAN NOT NULL, 
	collected_by VARCHAR(500) NOT NULL, 
	transfer_late BOOLEAN NOT NULL, 
	receipt_number VARCHAR(64) NOT NULL, 
	handover_time DATETIME, 
	arrival_state VARCHAR(16) NOT NULL, 
	arrival_time DATETIME, 
	vehicle_description VARCHAR(60) NOT NULL, 
	arrival_bay VARCHAR(16) NOT NULL, 
	collector_name VARCHAR(80) NOT NULL, 
	pickup_extensions INTEGER NOT NULL, 
	placed_store_id VARCHAR(16) NOT NULL, 
	placed_by_associate VARCHAR(100) NOT NULL, 
	placed_by_terminal VARCHAR(64) NOT NULL, 
	payment_due_time DATETIME, 
	PRIMARY KEY (order_id)
);
INSERT INTO "orders" VALUES('ORD-0000000001','cust-1001','ada@example.com','WEB','STORE-001','PICKUP_IN_STORE','PICKED_UP','EUR',3000,'2026-12-02 01:50:40.661595','2026-12-02 01:50:41.022778',NULL,NULL,NULL,'PICK-1234','',0,0,'Ada',0,'','2026-12-02 01:50:41.006045','',NULL,'','','',0,'','','',NULL);
INSERT INTO "orders" VALUES('ORD-0000000002','cust-1001','ada@example.com','WEB','STORE-001','SHIP_TO_STORE','PENDING','EUR',3000,'2026-12-02 01:50:41.107781','2026-12-02 01:50:41.184836',NULL,NULL,NULL,'','',0,0,'',0,'',NULL,'',NULL,'','','',0,'','','',NULL);
CREATE TABLE payments (
	id INTEGER NOT NULL, 
	payment_id VARCHAR(40) NOT NULL, 
	order_id VARCHAR(32) NOT NULL, 
	operation VARCHAR(16) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	amount_minor BIGINT NOT NULL, 
	currency VARCHAR(3) NOT NULL, 
	provider VARCHAR(32) NOT NULL, 
	provider_reference VARCHAR(128) NOT NULL, 
	idempotency_key VARCHAR(128) NOT NULL, 
	decline_reason VARCHAR(128) NOT NULL, 
	authorization_id VARCHAR(40) NOT NULL, 
	time DATETIME NOT NULL, 
	expire_time DATETIME, 
	return_id VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_payments_idempotency_key UNIQUE (order_id, idempotency_key), 
	UNIQUE (payment_id), 
	FOREIGN KEY(order_id) REFERENCES orders (order_id)
);
INSERT INTO "payments" VALUES(1,'PAY-A353E352063343E0A49C','ORD-0000000001','AUTHORIZE','SUCCEEDED',3000,'EUR','sandbox','sbx_auth_c681ffcfc520feab9b62','req-ae8469164cc44072','','','2026-12-02 01:50:40.859352','2026-12-09 01:50:40.859352','');
INSERT INTO "payments" VALUES(2,'PAY-A2989406AAFC40C585AE','ORD-0000000001','CAPTURE','SUCCEEDED',3000,'EUR','sandbox','sbx_cap_0a3eba2e8cf0548afa65','req-c45532270b48b969','','PAY-A353E352063343E0A49C','2026-12-02 01:50:40.969576',NULL,'');
CREATE INDEX ix_orders_store_state ON orders (pickup_store_id, state);
CREATE INDEX ix_orders_customer_created ON orders (customer_id, create_time);
CREATE INDEX ix_customers_phone ON customers (phone);
CREATE INDEX ix_customers_email_key ON customers (email_key);
CREATE INDEX ix_order_events_order_id ON order_events (order_id);
CREATE INDEX ix_payments_order_id ON payments (order_id);
CREATE INDEX ix_order_returns_order_created ON order_returns (order_id, create_time);
CREATE INDEX ix_customer_identities_customer_id ON customer_identities (customer_id);
COMMIT;
