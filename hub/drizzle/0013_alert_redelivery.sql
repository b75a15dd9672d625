ALTER TABLE `alert_events` ADD `payload` text;--> statement-breakpoint
ALTER TABLE `alert_events` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `alert_events` ADD `next_attempt_at` integer;--> statement-breakpoint
CREATE INDEX `alert_events_redelivery` ON `alert_events` (`next_attempt_at`);