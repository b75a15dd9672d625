CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`model` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`detail` text NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_project` ON `audit_log` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `model_aliases` (
	`model_id` integer NOT NULL,
	`alias` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`model_id`, `alias`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rollouts` (
	`model_id` integer PRIMARY KEY NOT NULL,
	`policy` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `signed_manifests` (
	`model_id` integer NOT NULL,
	`version` integer NOT NULL,
	`signed` text NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`model_id`, `version`),
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `models` ADD `min_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `models` ADD `manifests_changed_at` integer;--> statement-breakpoint
INSERT INTO `model_aliases` (`model_id`, `alias`, `version`, `updated_at`, `updated_by`)
SELECT p.`model_id`, 'production', p.`version`, p.`created_at`, 'migration' FROM `publications` p
WHERE p.`id` = (SELECT max(q.`id`) FROM `publications` q WHERE q.`model_id` = p.`model_id`);
