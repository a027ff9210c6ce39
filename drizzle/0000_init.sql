CREATE TABLE `app_config` (
	`id` integer PRIMARY KEY NOT NULL,
	`backup_dir` text,
	`auto_backup` integer DEFAULT true NOT NULL,
	`backup_interval_hours` integer DEFAULT 24 NOT NULL,
	`keep_recent_hours` integer DEFAULT 24 NOT NULL,
	`keep_recent_max` integer DEFAULT 48 NOT NULL,
	`keep_daily` integer DEFAULT 30 NOT NULL,
	`keep_weekly` integer DEFAULT 12 NOT NULL,
	`keep_monthly` integer DEFAULT 12 NOT NULL,
	`last_profile_id` integer,
	`updated_at` integer NOT NULL,
	CONSTRAINT "app_config_single_row" CHECK("app_config"."id" = 1),
	CONSTRAINT "app_config_interval" CHECK("app_config"."backup_interval_hours" BETWEEN 1 AND 168)
);
--> statement-breakpoint
CREATE TABLE `colors` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`rgb` text NOT NULL,
	`is_trans` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `elements` (
	`element_id` text PRIMARY KEY NOT NULL,
	`part_num` text NOT NULL,
	`color_id` integer NOT NULL,
	`design_id` text
);
--> statement-breakpoint
CREATE INDEX `elements_part_color_idx` ON `elements` (`part_num`,`color_id`);--> statement-breakpoint
CREATE TABLE `inventory_collabs` (
	`id` integer PRIMARY KEY NOT NULL,
	`owner_id` integer NOT NULL,
	`collaborator_id` integer NOT NULL,
	`can_edit` integer DEFAULT false NOT NULL,
	`can_delete` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`accepted_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`collaborator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "inventory_collabs_not_self" CHECK("inventory_collabs"."owner_id" <> "inventory_collabs"."collaborator_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inventory_collabs_active_pair_uq` ON `inventory_collabs` (`owner_id`,`collaborator_id`) WHERE "inventory_collabs"."is_active" = 1;--> statement-breakpoint
CREATE INDEX `inventory_collabs_collaborator_idx` ON `inventory_collabs` (`collaborator_id`,`is_active`);--> statement-breakpoint
CREATE TABLE `inventory_items` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`part_id` text NOT NULL,
	`color_id` integer NOT NULL,
	`color_name` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`quantity_total` integer NOT NULL,
	`quantity_used` integer DEFAULT 0 NOT NULL,
	`storage_location` text DEFAULT '' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`image_url` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`color_id`) REFERENCES `colors`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "inventory_items_qty" CHECK("inventory_items"."quantity_used" >= 0 AND "inventory_items"."quantity_used" <= "inventory_items"."quantity_total"),
	CONSTRAINT "inventory_items_part_len" CHECK(length("inventory_items"."part_id") BETWEEN 1 AND 64),
	CONSTRAINT "inventory_items_name_len" CHECK(length("inventory_items"."name") <= 200),
	CONSTRAINT "inventory_items_location_len" CHECK(length("inventory_items"."storage_location") <= 200),
	CONSTRAINT "inventory_items_notes_len" CHECK(length("inventory_items"."notes") <= 2000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inventory_items_user_part_color_location_uq` ON `inventory_items` (`user_id`,`part_id`,`color_id`,`storage_location`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_part_idx` ON `inventory_items` (`user_id`,`part_id`,`id`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_color_name_idx` ON `inventory_items` (`user_id`,`color_name`,`id`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_color_idx` ON `inventory_items` (`user_id`,`color_id`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_total_idx` ON `inventory_items` (`user_id`,`quantity_total`,`id`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_used_idx` ON `inventory_items` (`user_id`,`quantity_used`,`id`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_created_idx` ON `inventory_items` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_updated_idx` ON `inventory_items` (`user_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE TABLE `part_categories` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `parts` (
	`part_num` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`part_cat_id` integer,
	`part_material` text
);
--> statement-breakpoint
CREATE INDEX `parts_cat_idx` ON `parts` (`part_cat_id`);--> statement-breakpoint
CREATE TABLE `user_preferences` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`theme` text DEFAULT 'system' NOT NULL,
	`items_per_page` integer DEFAULT 100 NOT NULL,
	`sort_key` text DEFAULT 'updated' NOT NULL,
	`sort_dir` text DEFAULT 'desc' NOT NULL,
	`low_stock_threshold` integer DEFAULT 2 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "user_preferences_theme" CHECK("user_preferences"."theme" IN ('light','dark','system')),
	CONSTRAINT "user_preferences_dir" CHECK("user_preferences"."sort_dir" IN ('asc','desc')),
	CONSTRAINT "user_preferences_page" CHECK("user_preferences"."items_per_page" BETWEEN 10 AND 1000),
	CONSTRAINT "user_preferences_low" CHECK("user_preferences"."low_stock_threshold" BETWEEN 0 AND 1000000)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "users_name_len" CHECK(length("users"."name") BETWEEN 1 AND 60)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_name_uq` ON `users` ("name" COLLATE NOCASE);