ALTER TABLE `dataset_versions` ADD `parents` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `dataset_versions` ADD `operation` text;--> statement-breakpoint
ALTER TABLE `dataset_versions` ADD `message` text;--> statement-breakpoint
ALTER TABLE `dataset_versions` ADD `author` text;