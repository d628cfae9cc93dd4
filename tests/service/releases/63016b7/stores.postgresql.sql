CREATE TABLE lanes (
    source_id character varying(16) NOT NULL,
    destination_id character varying(16) NOT NULL,
    transit_days integer NOT NULL
);

CREATE TABLE locations (
    location_id character varying(16) NOT NULL,
    name character varying NOT NULL,
    kind character varying(32) NOT NULL,
    line1 character varying NOT NULL,
    city character varying NOT NULL,
    postal_code character varying NOT NULL,
    country_code character varying(2) NOT NULL,
    latitude double precision NOT NULL,
    longitude double precision NOT NULL,
    time_zone character varying NOT NULL,
    opening_hours json,
    capabilities character varying NOT NULL,
    pick_deadline_minutes integer NOT NULL,
    pickup_window_days integer NOT NULL,
    pickup_window_minutes integer NOT NULL,
    receiving_minutes integer NOT NULL,
    dispatch_minutes integer NOT NULL,
    email character varying NOT NULL,
    orders_per_hour integer NOT NULL,
    daily_pickup_limit integer NOT NULL,
    pickup_extension_days integer NOT NULL
);

CREATE TABLE pairing_codes (
    code character varying(16) NOT NULL,
    request_id character varying(128) NOT NULL,
    store_id character varying(16) NOT NULL,
    device_name character varying(64) NOT NULL,
    device_id character varying(32) NOT NULL,
    create_time timestamp with time zone NOT NULL,
    expire_time timestamp with time zone NOT NULL,
    redeem_time timestamp with time zone
);

INSERT INTO lanes (source_id, destination_id, transit_days) VALUES ('DC-01', 'STORE-001', 2);

INSERT INTO locations (location_id, name, kind, line1, city, postal_code, country_code, latitude, longitude, time_zone, opening_hours, capabilities, pick_deadline_minutes, pickup_window_days, pickup_window_minutes, receiving_minutes, dispatch_minutes, email, orders_per_hour, daily_pickup_limit, pickup_extension_days) VALUES ('STORE-001', 'Location STORE-001', 'STORE', 'Stationsplein 12', 'Amsterdam', '', 'NL', 52.3791, 4.9003, 'Europe/Amsterdam', '[{"weekday": 1, "opens": "09:00", "closes": "18:00"}, {"weekday": 2, "opens": "09:00", "closes": "18:00"}, {"weekday": 3, "opens": "09:00", "closes": "18:00"}, {"weekday": 4, "opens": "09:00", "closes": "18:00"}, {"weekday": 5, "opens": "09:00", "closes": "18:00"}, {"weekday": 6, "opens": "09:00", "closes": "18:00"}]', ',PICKUP,RETURNS,SHIP_FROM,SHIP_TO_STORE,', 120, 7, 0, 60, 120, 's1@example.com', 0, 0, 3);
INSERT INTO locations (location_id, name, kind, line1, city, postal_code, country_code, latitude, longitude, time_zone, opening_hours, capabilities, pick_deadline_minutes, pickup_window_days, pickup_window_minutes, receiving_minutes, dispatch_minutes, email, orders_per_hour, daily_pickup_limit, pickup_extension_days) VALUES ('DC-01', 'Location DC-01', 'DISTRIBUTION_CENTER', 'Stationsplein 12', 'Amsterdam', '', 'NL', 52.3791, 4.9003, 'Europe/Amsterdam', '[{"weekday": 1, "opens": "09:00", "closes": "18:00"}, {"weekday": 2, "opens": "09:00", "closes": "18:00"}, {"weekday": 3, "opens": "09:00", "closes": "18:00"}, {"weekday": 4, "opens": "09:00", "closes": "18:00"}, {"weekday": 5, "opens": "09:00", "closes": "18:00"}, {"weekday": 6, "opens": "09:00", "closes": "18:00"}]', ',SHIP_FROM,', 0, 0, 0, 0, 120, '', 0, 0, 0);

INSERT INTO pairing_codes (code, request_id, store_id, device_name, device_id, create_time, expire_time, redeem_time) VALUES ('S2KSKRJKC8FQ', 'pairing-1', 'STORE-001', 'Counter tablet', 'device-2d58c64d', '2026-12-02 01:50:34.031849+00', '2026-12-02 02:05:34.031849+00', NULL);

ALTER TABLE ONLY lanes
    ADD CONSTRAINT lanes_pkey PRIMARY KEY (source_id, destination_id);

ALTER TABLE ONLY locations
    ADD CONSTRAINT locations_pkey PRIMARY KEY (location_id);

ALTER TABLE ONLY pairing_codes
    ADD CONSTRAINT pairing_codes_pkey PRIMARY KEY (code);

ALTER TABLE ONLY pairing_codes
    ADD CONSTRAINT pairing_codes_request_id_key UNIQUE (request_id);

CREATE INDEX ix_lanes_destination_id ON lanes USING btree (destination_id);

CREATE INDEX ix_locations_kind ON locations USING btree (kind);

CREATE INDEX ix_locations_latitude ON locations USING btree (latitude);

ALTER TABLE ONLY lanes
    ADD CONSTRAINT lanes_destination_id_fkey FOREIGN KEY (destination_id) REFERENCES locations(location_id);

ALTER TABLE ONLY lanes
    ADD CONSTRAINT lanes_source_id_fkey FOREIGN KEY (source_id) REFERENCES locations(location_id);
