BEGIN TRANSACTION;
CREATE TABLE lanes (
	source_id VARCHAR(16) NOT NULL, 
	destination_id VARCHAR(16) NOT NULL, 
	transit_days INTEGER NOT NULL, 
	PRIMARY KEY (source_id, destination_id), 
	FOREIGN KEY(source_id) REFERENCES locations (location_id), 
	FOREIGN KEY(destination_id) REFERENCES locations (location_id)
);
INSERT INTO "lanes" VALUES('DC-01','STORE-001',2);
CREATE TABLE locations (
	location_id VARCHAR(16) NOT NULL, 
	name VARCHAR NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	line1 VARCHAR NOT NULL, 
	city VARCHAR NOT NULL, 
	postal_code VARCHAR NOT NULL, 
	country_code VARCHAR(2) NOT NULL, 
	latitude FLOAT NOT NULL, 
	longitude FLOAT NOT NULL, 
	time_zone VARCHAR NOT NULL, 
	opening_hours JSON, 
	capabilities VARCHAR NOT NULL, 
	pick_deadline_minutes INTEGER NOT NULL, 
	pickup_window_days INTEGER NOT NULL, 
	pickup_window_minutes INTEGER NOT NULL, 
	receiving_minutes INTEGER NOT NULL, 
	dispatch_minutes INTEGER NOT NULL, 
	email VARCHAR NOT NULL, 
	orders_per_hour INTEGER NOT NULL, 
	daily_pickup_limit INTEGER NOT NULL, 
	pickup_extension_days INTEGER NOT NULL, 
	PRIMARY KEY (location_id)
);
INSERT INTO "locations" VALUES('STORE-001','Location STORE-001','STORE','Stationsplein 12','Amsterdam','','NL',52.3791,4.9003,'Europe/Amsterdam','[{"weekday": 1, "opens": "09:00", "closes": "18:00"}, {"weekday": 2, "opens": "09:00", "closes": "18:00"}, {"weekday": 3, "opens": "09:00", "closes": "18:00"}, {"weekday": 4, "opens": "09:00", "closes": "18:00"}, {"weekday": 5, "opens": "09:00", "closes": "18:00"}, {"weekday": 6, "opens": "09:00", "closes": "18:00"}]',',PICKUP,RETURNS,SHIP_FROM,SHIP_TO_STORE,',120,7,0,60,120,'s1@example.com',0,0,3);
INSERT INTO "locations" VALUES('DC-01','Location DC-01','DISTRIBUTION_CENTER','Stationsplein 12','Amsterdam','','NL',52.3791,4.9003,'Europe/Amsterdam','[{"weekday": 1, "opens": "09:00", "closes": "18:00"}, {"weekday": 2, "opens": "09:00", "closes": "18:00"}, {"weekday": 3, "opens": "09:00", "closes": "18:00"}, {"weekday": 4, "opens": "09:00", "closes": "18:00"}, {"weekday": 5, "opens": "09:00", "closes": "18:00"}, {"weekday": 6, "opens": "09:00", "closes": "18:00"}]',',SHIP_FROM,',0,0,0,0,120,'',0,0,0);
CREATE TABLE pairing_codes (
	code VARCHAR(16) NOT NULL, 
	request_id VARCHAR(128) NOT NULL, 
	store_id VARCHAR(16) NOT NULL, 
	device_name VARCHAR(64) NOT NULL, 
	device_id VARCHAR(32) NOT NULL, 
	create_time DATETIME NOT NULL, 
	expire_time DATETIME NOT NULL, 
	redeem_time DATETIME, 
	PRIMARY KEY (code), 
	UNIQUE (request_id)
);
INSERT INTO "pairing_codes" VALUES('D7MBX20CKK2S','pairing-1','STORE-001','Counter tablet','device-ee7759fa','2026-12-02 01:50:33.046559','2026-12-02 02:05:33.046559',NULL);
CREATE INDEX ix_locations_latitude ON locations (latitude);
CREATE INDEX ix_locations_kind ON locations (kind);
CREATE INDEX ix_lanes_destination_id ON lanes (destination_id);
COMMIT;
