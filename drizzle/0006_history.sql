CREATE TABLE `history_config` (
	`id` integer PRIMARY KEY NOT NULL,
	`max_ops` integer DEFAULT 1000 NOT NULL,
	`max_days` integer DEFAULT 90 NOT NULL,
	CONSTRAINT "history_config_single_row" CHECK("history_config"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `history_names` (
	`op_id` integer NOT NULL,
	`side` text NOT NULL,
	`user_id` integer NOT NULL,
	`location_key` text NOT NULL,
	`storage_location` text NOT NULL,
	PRIMARY KEY(`op_id`, `side`, `user_id`, `location_key`)
);
--> statement-breakpoint
CREATE TABLE `history_ops` (
	`id` integer PRIMARY KEY NOT NULL,
	`owner_id` integer NOT NULL,
	`actor_id` integer NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	`state` text NOT NULL,
	`lots` integer DEFAULT 0 NOT NULL,
	`batch_lo` integer,
	`batch_hi` integer,
	`after_kept` integer DEFAULT 1 NOT NULL,
	`stats_row` integer DEFAULT 1 NOT NULL,
	`undone_at` integer,
	CONSTRAINT "history_ops_state" CHECK("history_ops"."state" IN ('done', 'undone', 'dropped', 'mark'))
);
--> statement-breakpoint
CREATE INDEX `history_ops_actor_idx` ON `history_ops` (`actor_id`,`state`,`id`);--> statement-breakpoint
CREATE INDEX `history_ops_state_idx` ON `history_ops` (`state`,`id`);--> statement-breakpoint
CREATE INDEX `history_ops_owner_idx` ON `history_ops` (`owner_id`,`id`);--> statement-breakpoint
CREATE TABLE `history_rows` (
	`op_id` integer NOT NULL,
	`lot_id` integer NOT NULL,
	`before` text,
	`after` text,
	PRIMARY KEY(`op_id`, `lot_id`)
);
--> statement-breakpoint
CREATE INDEX `history_rows_lot_idx` ON `history_rows` (`lot_id`,`op_id`);