-- Builds of the Sets feature: what a profile marked as built and which lot each piece came from,
-- so taking it apart moves exactly those pieces back (see set_builds in schema.ts).
-- The part index of inventory_parts becomes covering (part, colour, spare, inventory, quantity) for
-- "which sets can I build?", which reads the rows of every owned part.
CREATE TABLE `set_build_takes` (
	`id` integer PRIMARY KEY NOT NULL,
	`build_id` integer NOT NULL,
	`lot_id` integer,
	`part_id` text NOT NULL,
	`color_id` integer NOT NULL,
	`location` text NOT NULL,
	`quantity` integer NOT NULL,
	`updated_before` integer NOT NULL,
	`updated_after` integer NOT NULL,
	FOREIGN KEY (`build_id`) REFERENCES `set_builds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lot_id`) REFERENCES `inventory_items`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "set_build_takes_qty" CHECK("set_build_takes"."quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX `set_build_takes_build_idx` ON `set_build_takes` (`build_id`);--> statement-breakpoint
CREATE INDEX `set_build_takes_lot_idx` ON `set_build_takes` (`lot_id`);--> statement-breakpoint
CREATE TABLE `set_builds` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`source_kind` text NOT NULL,
	`source_id` text NOT NULL,
	`source_name` text NOT NULL,
	`source_format` text,
	`list_key` text NOT NULL,
	`quantity` integer NOT NULL,
	`options` text NOT NULL,
	`pieces` integer NOT NULL,
	`built_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "set_builds_kind" CHECK("set_builds"."source_kind" IN ('set', 'file'))
);
--> statement-breakpoint
CREATE INDEX `set_builds_user_idx` ON `set_builds` (`user_id`,`built_at`);--> statement-breakpoint
CREATE INDEX `set_builds_source_idx` ON `set_builds` (`user_id`,`source_kind`,`source_id`);--> statement-breakpoint
DROP INDEX `inventory_parts_part_color_idx`;--> statement-breakpoint
CREATE INDEX `inventory_parts_part_color_idx` ON `inventory_parts` (`part_num`,`color_id`,`is_spare`,`inventory_id`,`quantity`);