CREATE TABLE `device_health` (
	`project_id` text NOT NULL,
	`device_id` text NOT NULL,
	`model` text NOT NULL,
	`dropped` text NOT NULL,
	`reported_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `device_id`, `model`)
);
--> statement-breakpoint
CREATE TABLE `feedback` (
	`project_id` text NOT NULL,
	`prediction_id` text NOT NULL,
	`device_id` text NOT NULL,
	`label` text,
	`value` real,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `prediction_id`)
);
--> statement-breakpoint
ALTER TABLE `inferences` ADD `observed_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `inferences` ADD `flags` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `inferences` SET `observed_at` = min(`created_at`, `received_at`);--> statement-breakpoint
CREATE INDEX `inferences_model_observed` ON `inferences` (`project_id`,`model`,`observed_at`);