ALTER TABLE `dataset_versions` ADD `validation_sha256` text;--> statement-breakpoint
ALTER TABLE `dataset_versions` ADD `validation_success` integer;--> statement-breakpoint
ALTER TABLE `datasets` ADD `suite_sha256` text;