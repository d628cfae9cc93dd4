BEGIN TRANSACTION;
CREATE TABLE notification_deliveries (
	id INTEGER NOT NULL, 
	idempotency_key VARCHAR(200) NOT NULL, 
	channel VARCHAR(8) NOT NULL, 
	recipient VARCHAR(254) NOT NULL, 
	delivery_channel VARCHAR(16) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	provider_answer TEXT NOT NULL, 
	send_time DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (idempotency_key, channel)
);
INSERT INTO "notification_deliveries" VALUES(1,'order-ORD-0000000001:ready_for_pickup','EMAIL','ada@example.com','OUTBOX','SENT','written to /tmp/tmpy44pklw6/mail.jsonl','2026-12-02 01:50:49.403334');
INSERT INTO "notification_deliveries" VALUES(2,'order-ORD-0000000001:ready_for_pickup','SMS','+31612345678','SMS_OUTBOX','SENT','written to /tmp/tmpy44pklw6/sms','2026-12-02 01:50:49.403334');
INSERT INTO "notification_deliveries" VALUES(3,'order-ORD-0000000001:order_picked_up','EMAIL','ada@example.com','OUTBOX','SENT','written to /tmp/tmpy44pklw6/mail.jsonl','2026-12-02 01:50:49.803780');
INSERT INTO "notification_deliveries" VALUES(4,'order-ORD-0000000001:order_picked_up','SMS','+31612345678','SMS_OUTBOX','SENT','written to /tmp/tmpy44pklw6/sms','2026-12-02 01:50:49.803780');
CREATE TABLE notifications (
	id INTEGER NOT NULL, 
	notification_id VARCHAR(40) NOT NULL, 
	idempotency_key VARCHAR(200) NOT NULL, 
	order_id VARCHAR(32) NOT NULL, 
	template VARCHAR(32) NOT NULL, 
	recipient VARCHAR(254) NOT NULL, 
	subject TEXT NOT NULL, 
	body TEXT NOT NULL, 
	delivery_channel VARCHAR(16) NOT NULL, 
	create_time DATETIME NOT NULL, 
	channels VARCHAR(32) NOT NULL, 
	phone VARCHAR(16) NOT NULL, 
	sms_text TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (notification_id), 
	UNIQUE (idempotency_key)
);
INSERT INTO "notifications" VALUES(1,'NTF-63A1EE730A31407A84DD','order-ORD-0000000001:ready_for_pickup','ORD-0000000001','ready_for_pickup','ada@example.com','Order ORD-0000000001 is ready for pickup at Amsterdam Centraal','Hello,

good news: your order ORD-0000000001 is ready at Amsterdam Centraal.

Your pickup code: 482913

Show this code at the pickup counter. Please collect your order by
Fri; after that it goes back on the shelf and the hold on
your card is released.

Click & Collect
','OUTBOX','2026-12-02 01:50:49.403334','EMAIL,SMS','+31612345678','Order ORD-0000000001 is ready for pickup at Amsterdam Centraal. Pickup code: 482913. Collect by: Fri');
INSERT INTO "notifications" VALUES(2,'NTF-92EF2A75C96F4DB4979B','order-ORD-0000000001:order_picked_up','ORD-0000000001','order_picked_up','ada@example.com','Thank you for collecting order ORD-0000000001','Hello,

you have collected your order ORD-0000000001. Your payment has been taken.

Need to return something? Bring it to any of our stores.

Click & Collect
','OUTBOX','2026-12-02 01:50:49.803780','EMAIL,SMS','+31612345678','Thank you for collecting order ORD-0000000001');
CREATE INDEX ix_notifications_order_created ON notifications (order_id, create_time);
COMMIT;
