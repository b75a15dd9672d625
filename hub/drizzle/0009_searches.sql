CREATE TABLE `searches` (
	`id` text PRIMARY KEY NOT NULL,
	`model_id` integer NOT NULL,
	`dataset_version_id` integer NOT NULL,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`best_run_id` text,
	`final_run_id` text,
	`error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`dataset_version_id`) REFERENCES `dataset_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `searches_model` ON `searches` (`model_id`);