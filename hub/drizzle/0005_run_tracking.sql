CREATE TABLE `run_epochs` (
	`run_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`metrics` text NOT NULL,
	PRIMARY KEY(`run_id`, `epoch`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `runs` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `notes` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `lineage` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `system` text;