CREATE TABLE notification_deliveries (
    id integer NOT NULL,
    idempotency_key character varying(200) NOT NULL,
    channel character varying(8) NOT NULL,
    recipient character varying(254) NOT NULL,
    delivery_channel character varying(16) NOT NULL,
    state character varying(16) NOT NULL,
    provider_answer text NOT NULL,
    send_time timestamp with time zone NOT NULL
);

CREATE SEQUENCE notification_deliveries_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE notification_deliveries_id_seq OWNED BY notification_deliveries.id;

CREATE TABLE notifications (
    id integer NOT NULL,
    notification_id character varying(40) NOT NULL,
    idempotency_key character varying(200) NOT NULL,
    order_id character varying(32) NOT NULL,
    template character varying(32) NOT NULL,
    recipient character varying(254) NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    delivery_channel character varying(16) NOT NULL,
    create_time timestamp with time zone NOT NULL,
    channels character varying(32) NOT NULL,
    phone character varying(16) NOT NULL,
    sms_text text NOT NULL
);

CREATE SEQUENCE notifications_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE notifications_id_seq OWNED BY notifications.id;

ALTER TABLE ONLY notification_deliveries ALTER COLUMN id SET DEFAULT nextval('notification_deliveries_id_seq'::regclass);

ALTER TABLE ONLY notifications ALTER COLUMN id SET DEFAULT nextval('notifications_id_seq'::regclass);

INSERT INTO notification_deliveries (id, idempotency_key, channel, recipient, delivery_channel, state, provider_answer, send_time) VALUES (1, 'order-ORD-0000000001:ready_for_pickup', 'EMAIL', 'ada@example.com', 'OUTBOX', 'SENT', 'written to /tmp/tmpy44pklw6/mail.jsonl', '2026-12-02 01:50:50.387895+00');
INSERT INTO notification_deliveries (id, idempotency_key, channel, recipient, delivery_channel, state, provider_answer, send_time) VALUES (2, 'order-ORD-0000000001:ready_for_pickup', 'SMS', '+31612345678', 'SMS_OUTBOX', 'SENT', 'written to /tmp/tmpy44pklw6/sms', '2026-12-02 01:50:50.387895+00');
INSERT INTO notification_deliveries (id, idempotency_key, channel, recipient, delivery_channel, state, provider_answer, send_time) VALUES (3, 'order-ORD-0000000001:order_picked_up', 'EMAIL', 'ada@example.com', 'OUTBOX', 'SENT', 'written to /tmp/tmpy44pklw6/mail.jsonl', '2026-12-02 01:50:50.728538+00');
INSERT INTO notification_deliveries (id, idempotency_key, channel, recipient, delivery_channel, state, provider_answer, send_time) VALUES (4, 'order-ORD-0000000001:order_picked_up', 'SMS', '+31612345678', 'SMS_OUTBOX', 'SENT', 'written to /tmp/tmpy44pklw6/sms', '2026-12-02 01:50:50.728538+00');

INSERT INTO notifications (id, notification_id, idempotency_key, order_id, template, recipient, subject, body, delivery_channel, create_time, channels, phone, sms_text) VALUES (1, 'NTF-4EB29CF28D5F4091A584', 'order-ORD-0000000001:ready_for_pickup', 'ORD-0000000001', 'ready_for_pickup', 'ada@example.com', 'Order ORD-0000000001 is ready for pickup at Amsterdam Centraal', 'Hello,

good news: your order ORD-0000000001 is ready at Amsterdam Centraal.

Your pickup code: 482913

Show this code at the pickup counter. Please collect your order by
Fri; after that it goes back on the shelf and the hold on
your card is released.

Click & Collect
', 'OUTBOX', '2026-12-02 01:50:50.387895+00', 'EMAIL,SMS', '+31612345678', 'Order ORD-0000000001 is ready for pickup at Amsterdam Centraal. Pickup code: 482913. Collect by: Fri');
INSERT INTO notifications (id, notification_id, idempotency_key, order_id, template, recipient, subject, body, delivery_channel, create_time, channels, phone, sms_text) VALUES (2, 'NTF-39EEBAF55E304D03BA54', 'order-ORD-0000000001:order_picked_up', 'ORD-0000000001', 'order_picked_up', 'ada@example.com', 'Thank you for collecting order ORD-0000000001', 'Hello,

you have collected your order ORD-0000000001. Your payment has been taken.

Need to return something? Bring it to any of our stores.

Click & Collect
', 'OUTBOX', '2026-12-02 01:50:50.728538+00', 'EMAIL,SMS', '+31612345678', 'Thank you for collecting order ORD-0000000001');

SELECT pg_catalog.setval('notification_deliveries_id_seq', 4, true);

SELECT pg_catalog.setval('notifications_id_seq', 2, true);

ALTER TABLE ONLY notification_deliveries
    ADD CONSTRAINT notification_deliveries_idempotency_key_channel_key UNIQUE (idempotency_key, channel);

ALTER TABLE ONLY notification_deliveries
    ADD CONSTRAINT notification_deliveries_pkey PRIMARY KEY (id);

ALTER TABLE ONLY notifications
    ADD CONSTRAINT notifications_idempotency_key_key UNIQUE (idempotency_key);

ALTER TABLE ONLY notifications
    ADD CONSTRAINT notifications_notification_id_key UNIQUE (notification_id);

ALTER TABLE ONLY notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);

CREATE INDEX ix_notifications_order_created ON notifications USING btree (order_id, create_time);
