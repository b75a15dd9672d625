CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`project_id` text NOT NULL,
	`model` text NOT NULL,
	`kind` text NOT NULL,
	`value` real,
	`delivery` text NOT NULL,
	`delivery_detail` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`rule_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `alert_events_model` ON `alert_events` (`project_id`,`model`,`created_at`);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`model` text NOT NULL,
	`name` text NOT NULL,
	`metric` text NOT NULL,
	`params` text NOT NULL,
	`comparator` text NOT NULL,
	`threshold` real NOT NULL,
	`for_ms` integer NOT NULL,
	`window_ms` integer NOT NULL,
	`webhook_url` text,
	`webhook_secret` text,
	`retrain` integer NOT NULL,
	`guard_rollout` integer NOT NULL,
	`enabled` integer NOT NULL,
	`state` text NOT NULL,
	`since` integer,
	`last_value` real,
	`last_evaluated_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_rules_project_model_name` ON `alert_rules` (`project_id`,`model`,`name`);--> statement-breakpoint
CREATE TABLE `retrain_triggers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`model` text NOT NULL,
	`alert_event_id` integer,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`alert_event_id`) REFERENCES `alert_events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `retrain_triggers_model` ON `retrain_triggers` (`project_id`,`model`,`created_at`);