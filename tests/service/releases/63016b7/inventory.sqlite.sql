BEGIN TRANSACTION;
CREATE TABLE movements (
	movement_id INTEGER NOT NULL, 
	location_id VARCHAR(16) NOT NULL, 
	sku VARCHAR(32) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	on_hand_delta BIGINT NOT NULL, 
	reserved_delta BIGINT NOT NULL, 
	reference VARCHAR(128) NOT NULL, 
	reason VARCHAR(500) NOT NULL, 
	create_time DATETIME NOT NULL, 
	in_transit_delta BIGINT NOT NULL, 
	PRIMARY KEY (movement_id), 
	CONSTRAINT uq_movement_once UNIQUE (reference, location_id, sku, kind)
);
INSERT INTO "movements" VALUES(1,'STORE-001','SKU-1','RECEIPT',10,0,'req-3f631b00da545030','delivery','2026-12-02 01:50:37.248237',0);
INSERT INTO "movements" VALUES(2,'DC-01','SKU-2','RECEIPT',4,0,'req-2d888e6d5c6da04b','delivery','2026-12-02 01:50:37.317256',0);
INSERT INTO "movements" VALUES(3,'DC-01','SKU-2','RESERVE',0,1,'res-ORD-0000000002','order ORD-0000000002','2026-12-02 01:50:37.328414',0);
INSERT INTO "movements" VALUES(4,'STORE-001','SKU-1','RESERVE',0,2,'res-ORD-0000000002','order ORD-0000000002','2026-12-02 01:50:37.328414',0);
INSERT INTO "movements" VALUES(5,'STORE-001','SKU-2','TRANSFER_IN',0,0,'transfer-ORD-0000000002-1/created','in transit from DC-01','2026-12-02 01:50:37.338025',1);
INSERT INTO "movements" VALUES(6,'DC-01','SKU-2','TRANSFER_OUT',-1,-1,'transfer-ORD-0000000002-1','shipped to STORE-001','2026-12-02 01:50:37.363294',0);
CREATE TABLE products (
	sku VARCHAR(32) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	price_minor BIGINT NOT NULL, 
	currency_code VARCHAR(3) NOT NULL, 
	final_sale BOOLEAN NOT NULL, 
	PRIMARY KEY (sku)
);
INSERT INTO "products" VALUES('SKU-1','Kettle',899,'EUR',0);
INSERT INTO "products" VALUES('SKU-2','Mug',899,'EUR',1);
CREATE TABLE reservation_lines (
	reservation_id VARCHAR(128) NOT NULL, 
	location_id VARCHAR(16) NOT NULL, 
	sku VARCHAR(32) NOT NULL, 
	quantity BIGINT NOT NULL, 
	transferring BIGINT NOT NULL, 
	PRIMARY KEY (reservation_id, location_id, sku), 
	CONSTRAINT ck_reservation_line_quantity CHECK (quantity > 0), 
	CONSTRAINT ck_reservation_line_transferring CHECK (transferring >= 0 AND transferring <= quantity), 
	FOREIGN KEY(reservation_id) REFERENCES reservations (reservation_id)
);
INSERT INTO "reservation_lines" VALUES('res-ORD-0000000002','STORE-001','SKU-1',2,0);
CREATE TABLE reservations (
	reservation_id VARCHAR(128) NOT NULL, 
	order_id VARCHAR(32) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	create_time DATETIME NOT NULL, 
	update_time DATETIME NOT NULL, 
	expire_time DATETIME, 
	owner_id VARCHAR(64) NOT NULL, 
	PRIMARY KEY (reservation_id)
);
INSERT INTO "reservations" VALUES('res-ORD-0000000002','ORD-0000000002','ACTIVE','2026-12-02 01:50:37.328414','2026-12-02 01:50:37.363294',NULL,'');
CREATE TABLE stock_levels (
	location_id VARCHAR(16) NOT NULL, 
	sku VARCHAR(32) NOT NULL, 
	on_hand BIGINT NOT NULL, 
	reserved BIGINT NOT NULL, 
	safety_stock BIGINT NOT NULL, 
	in_transit BIGINT NOT NULL, 
	PRIMARY KEY (location_id, sku), 
	CONSTRAINT ck_stock_on_hand_not_negative CHECK (on_hand >= 0), 
	CONSTRAINT ck_stock_reserved_not_negative CHECK (reserved >= 0), 
	CONSTRAINT ck_stock_reserved_within_on_hand CHECK (reserved <= on_hand), 
	CONSTRAINT ck_stock_safety_not_negative CHECK (safety_stock >= 0), 
	CONSTRAINT ck_stock_in_transit_not_negative CHECK (in_transit >= 0), 
	FOREIGN KEY(sku) REFERENCES products (sku)
);
INSERT INTO "stock_levels" VALUES('STORE-001','SKU-1',10,2,0,0);
INSERT INTO "stock_levels" VALUES('DC-01','SKU-2',3,0,0,0);
INSERT INTO "stock_levels" VALUES('STORE-001','SKU-2',0,0,0,1);
CREATE TABLE transfer_lines (
	transfer_id VARCHAR(128) NOT NULL, 
	sku VARCHAR(32) NOT NULL, 
	quantity BIGINT NOT NULL, 
	received BIGINT NOT NULL, 
	PRIMARY KEY (transfer_id, sku), 
	CONSTRAINT ck_transfer_line_quantity CHECK (quantity > 0), 
	CONSTRAINT ck_transfer_line_received CHECK (received >= 0 AND received <= quantity), 
	FOREIGN KEY(transfer_id) REFERENCES transfers (transfer_id)
);
INSERT INTO "transfer_lines" VALUES('transfer-ORD-0000000002-1','SKU-2',1,0);
CREATE TABLE transfers (
	transfer_id VARCHAR(128) NOT NULL, 
	reservation_id VARCHAR(128) NOT NULL, 
	source_id VARCHAR(16) NOT NULL, 
	destination_id VARCHAR(16) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	create_time DATETIME NOT NULL, 
	ship_time DATETIME, 
	receive_time DATETIME, 
	PRIMARY KEY (transfer_id)
);
INSERT INTO "transfers" VALUES('transfer-ORD-0000000002-1','res-ORD-0000000002','DC-01','STORE-001','SHIPPED','2026-12-02 01:50:37.338025','2026-12-02 01:50:37.363294',NULL);
CREATE INDEX ix_movements_stock ON movements (location_id, sku, movement_id);
CREATE INDEX ix_reservations_expiry ON reservations (state, expire_time);
CREATE INDEX ix_reservations_order_id ON reservations (order_id);
CREATE INDEX ix_transfers_reservation_id ON transfers (reservation_id);
COMMIT;
