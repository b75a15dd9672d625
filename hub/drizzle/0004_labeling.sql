CREATE TABLE `label_sets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`dataset_version_id` integer NOT NULL,
	`label_column` text NOT NULL,
	`classes` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`dataset_version_id`) REFERENCES `dataset_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `label_sets_project_name` ON `label_sets` (`project_id`,`name`);--> statement-breakpoint
CREATE TABLE `labels` (
	`label_set_id` integer NOT NULL,
	`row` integer NOT NULL,
	`labeler` text NOT NULL,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`label_set_id`, `row`, `labeler`),
	FOREIGN KEY (`label_set_id`) REFERENCES `label_sets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `sessions` ADD `name` text;