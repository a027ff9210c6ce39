-- The rest of the Rebrickable catalogue for the Sets feature (tables from schema.ts, then the
-- set name index drizzle cannot express). The catalogue importer fills them; see schema.ts for
-- which columns carry foreign keys and why.
CREATE TABLE `catalog_meta` (
	`id` integer PRIMARY KEY NOT NULL,
	`snapshot` text,
	`snapshot_loaded_at` integer,
	`imported_at` integer,
	`counts` text,
	CONSTRAINT "catalog_meta_single_row" CHECK("catalog_meta"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `inventories` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`set_num` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inventories_set_version_uq` ON `inventories` (`set_num`,`version`);--> statement-breakpoint
CREATE TABLE `inventory_minifigs` (
	`inventory_id` integer NOT NULL,
	`fig_num` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`inventory_id`, `fig_num`)
);
--> statement-breakpoint
CREATE INDEX `inventory_minifigs_fig_idx` ON `inventory_minifigs` (`fig_num`);--> statement-breakpoint
CREATE TABLE `inventory_parts` (
	`inventory_id` integer NOT NULL,
	`part_num` text NOT NULL,
	`color_id` integer NOT NULL,
	`is_spare` integer DEFAULT false NOT NULL,
	`quantity` integer NOT NULL,
	`img_url` text,
	PRIMARY KEY(`inventory_id`, `part_num`, `color_id`, `is_spare`)
);
--> statement-breakpoint
CREATE INDEX `inventory_parts_part_color_idx` ON `inventory_parts` (`part_num`,`color_id`);--> statement-breakpoint
CREATE TABLE `inventory_sets` (
	`inventory_id` integer NOT NULL,
	`set_num` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`inventory_id`, `set_num`),
	FOREIGN KEY (`inventory_id`) REFERENCES `inventories`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`set_num`) REFERENCES `sets`(`set_num`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inventory_sets_set_idx` ON `inventory_sets` (`set_num`);--> statement-breakpoint
CREATE TABLE `minifigs` (
	`fig_num` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`num_parts` integer DEFAULT 0 NOT NULL,
	`img_url` text
);
--> statement-breakpoint
CREATE TABLE `part_relationships` (
	`rel_type` text NOT NULL,
	`child_part_num` text NOT NULL,
	`parent_part_num` text NOT NULL,
	PRIMARY KEY(`child_part_num`, `rel_type`, `parent_part_num`)
);
--> statement-breakpoint
CREATE INDEX `part_relationships_parent_idx` ON `part_relationships` (`parent_part_num`,`rel_type`,`child_part_num`);--> statement-breakpoint
CREATE TABLE `sets` (
	`set_num` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`year` integer,
	`theme_id` integer,
	`num_parts` integer DEFAULT 0 NOT NULL,
	`img_url` text
);
--> statement-breakpoint
CREATE INDEX `sets_theme_year_idx` ON `sets` (`theme_id`,`year`);--> statement-breakpoint
CREATE INDEX `sets_year_idx` ON `sets` (`year`);--> statement-breakpoint
CREATE TABLE `themes` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`parent_id` integer
);
--> statement-breakpoint
CREATE INDEX `themes_parent_idx` ON `themes` (`parent_id`);--> statement-breakpoint
-- Set name search: an FTS5 word index like parts_fts (0002), with its own copy of set_num and
-- name, rebuilt from sets after every catalogue import, the only writer of sets.
CREATE VIRTUAL TABLE `sets_fts` USING fts5(
  set_num UNINDEXED, name,
  tokenize = 'unicode61 remove_diacritics 2'
);
