CREATE TABLE `inventory_color_stats` (
	`user_id` integer NOT NULL,
	`color_id` integer NOT NULL,
	`color_name` text NOT NULL,
	`lots` integer NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`user_id`, `color_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inventory_location_stats` (
	`user_id` integer NOT NULL,
	`location_key` text NOT NULL,
	`storage_location` text NOT NULL,
	`lots` integer NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`user_id`, `location_key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inventory_stats` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`lots` integer DEFAULT 0 NOT NULL,
	`quantity_total` integer DEFAULT 0 NOT NULL,
	`quantity_used` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `inventory_items_user_part_idx`;--> statement-breakpoint
DROP INDEX `inventory_items_user_color_name_idx`;--> statement-breakpoint
DROP INDEX `inventory_items_user_total_idx`;--> statement-breakpoint
DROP INDEX `inventory_items_user_used_idx`;--> statement-breakpoint
DROP INDEX `inventory_items_user_created_idx`;--> statement-breakpoint
DROP INDEX `inventory_items_user_updated_idx`;--> statement-breakpoint
ALTER TABLE `inventory_items` ADD `location_fp` integer GENERATED ALWAYS AS (((((((length(storage_location) * 97 + coalesce(unicode(substr(lower(storage_location), 1, 1)), 0)) * 97 + coalesce(unicode(substr(lower(storage_location), 2, 1)), 0)) * 97 + coalesce(unicode(substr(lower(storage_location), -1, 1)), 0)) * 97 + coalesce(unicode(substr(lower(storage_location), -2, 1)), 0)) * 97 + coalesce(unicode(substr(lower(storage_location), -3, 1)), 0)) * 97 + coalesce(unicode(substr(lower(storage_location), (length(storage_location) + 1) / 2, 1)), 0))) VIRTUAL;--> statement-breakpoint
CREATE INDEX `inventory_items_user_part_nocase_idx` ON `inventory_items` (`user_id`,"part_id" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `inventory_items_user_part_idx` ON `inventory_items` (`user_id`,`part_id`,`id`,`color_id`,`location_fp`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_color_name_idx` ON `inventory_items` (`user_id`,`color_name`,`id`,`color_id`,`location_fp`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_total_idx` ON `inventory_items` (`user_id`,`quantity_total`,`id`,`color_id`,`location_fp`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_used_idx` ON `inventory_items` (`user_id`,`quantity_used`,`id`,`color_id`,`location_fp`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_created_idx` ON `inventory_items` (`user_id`,`created_at`,`id`,`color_id`,`location_fp`);--> statement-breakpoint
CREATE INDEX `inventory_items_user_updated_idx` ON `inventory_items` (`user_id`,`updated_at`,`id`,`color_id`,`location_fp`);--> statement-breakpoint
-- The sort indexes of migration 0001 get color_id (and the location fingerprint) as well;
-- drizzle cannot express them.
DROP INDEX `inventory_items_user_name_idx`;
--> statement-breakpoint
CREATE INDEX `inventory_items_user_name_idx` ON `inventory_items` (`user_id`, `name` COLLATE NOCASE, `id`, `color_id`, `location_fp`);
--> statement-breakpoint
DROP INDEX `inventory_items_user_location_idx`;
--> statement-breakpoint
CREATE INDEX `inventory_items_user_location_idx` ON `inventory_items` (`user_id`, `storage_location` COLLATE NOCASE, `id`, `color_id`);
--> statement-breakpoint
DROP INDEX `inventory_items_user_available_idx`;
--> statement-breakpoint
CREATE INDEX `inventory_items_user_available_idx` ON `inventory_items` (`user_id`, (`quantity_total` - `quantity_used`), `id`, `color_id`, `location_fp`);
--> statement-breakpoint
-- Maintained aggregates: triggers keep them in step with inventory_items on every write path
-- (service, bulk import, the profile delete cascade, a restored backup file). Inserts add,
-- deletes subtract, an update of a counted column subtracts the old row and adds the new one.
-- Deletes only UPDATE/DELETE (never insert), so a profile delete cascade cannot re-create rows.
CREATE TRIGGER `inventory_items_stats_ai` AFTER INSERT ON `inventory_items` BEGIN
  INSERT INTO inventory_stats (user_id, lots, quantity_total, quantity_used)
  VALUES (new.user_id, 1, new.quantity_total, new.quantity_used)
  ON CONFLICT (user_id) DO UPDATE SET lots = lots + 1,
    quantity_total = quantity_total + excluded.quantity_total,
    quantity_used = quantity_used + excluded.quantity_used;
  INSERT INTO inventory_location_stats (user_id, location_key, storage_location, lots, quantity)
  VALUES (new.user_id, lower(new.storage_location), new.storage_location, 1, new.quantity_total)
  ON CONFLICT (user_id, location_key) DO UPDATE SET lots = lots + 1, quantity = quantity + excluded.quantity;
  INSERT INTO inventory_color_stats (user_id, color_id, color_name, lots, quantity)
  VALUES (new.user_id, new.color_id, new.color_name, 1, new.quantity_total)
  ON CONFLICT (user_id, color_id) DO UPDATE SET lots = lots + 1, quantity = quantity + excluded.quantity,
    color_name = excluded.color_name;
END;
--> statement-breakpoint
CREATE TRIGGER `inventory_items_stats_ad` AFTER DELETE ON `inventory_items` BEGIN
  UPDATE inventory_stats SET lots = lots - 1, quantity_total = quantity_total - old.quantity_total,
    quantity_used = quantity_used - old.quantity_used
  WHERE user_id = old.user_id;
  UPDATE inventory_location_stats SET lots = lots - 1, quantity = quantity - old.quantity_total
  WHERE user_id = old.user_id AND location_key = lower(old.storage_location);
  DELETE FROM inventory_location_stats
  WHERE user_id = old.user_id AND location_key = lower(old.storage_location) AND lots <= 0;
  UPDATE inventory_color_stats SET lots = lots - 1, quantity = quantity - old.quantity_total
  WHERE user_id = old.user_id AND color_id = old.color_id;
  DELETE FROM inventory_color_stats WHERE user_id = old.user_id AND color_id = old.color_id AND lots <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER `inventory_items_stats_au`
AFTER UPDATE OF user_id, quantity_total, quantity_used, storage_location, color_id, color_name ON `inventory_items` BEGIN
  UPDATE inventory_stats SET lots = lots - 1, quantity_total = quantity_total - old.quantity_total,
    quantity_used = quantity_used - old.quantity_used
  WHERE user_id = old.user_id;
  UPDATE inventory_location_stats SET lots = lots - 1, quantity = quantity - old.quantity_total
  WHERE user_id = old.user_id AND location_key = lower(old.storage_location);
  DELETE FROM inventory_location_stats
  WHERE user_id = old.user_id AND location_key = lower(old.storage_location) AND lots <= 0;
  UPDATE inventory_color_stats SET lots = lots - 1, quantity = quantity - old.quantity_total
  WHERE user_id = old.user_id AND color_id = old.color_id;
  DELETE FROM inventory_color_stats WHERE user_id = old.user_id AND color_id = old.color_id AND lots <= 0;
  INSERT INTO inventory_stats (user_id, lots, quantity_total, quantity_used)
  VALUES (new.user_id, 1, new.quantity_total, new.quantity_used)
  ON CONFLICT (user_id) DO UPDATE SET lots = lots + 1,
    quantity_total = quantity_total + excluded.quantity_total,
    quantity_used = quantity_used + excluded.quantity_used;
  INSERT INTO inventory_location_stats (user_id, location_key, storage_location, lots, quantity)
  VALUES (new.user_id, lower(new.storage_location), new.storage_location, 1, new.quantity_total)
  ON CONFLICT (user_id, location_key) DO UPDATE SET lots = lots + 1, quantity = quantity + excluded.quantity;
  INSERT INTO inventory_color_stats (user_id, color_id, color_name, lots, quantity)
  VALUES (new.user_id, new.color_id, new.color_name, 1, new.quantity_total)
  ON CONFLICT (user_id, color_id) DO UPDATE SET lots = lots + 1, quantity = quantity + excluded.quantity,
    color_name = excluded.color_name;
END;
--> statement-breakpoint
-- Backfill from the lots already there (a database made before this migration, or a restored
-- older backup that is migrated on open).
INSERT INTO inventory_stats (user_id, lots, quantity_total, quantity_used)
SELECT user_id, count(*), sum(quantity_total), sum(quantity_used) FROM inventory_items GROUP BY user_id;
--> statement-breakpoint
INSERT INTO inventory_location_stats (user_id, location_key, storage_location, lots, quantity)
SELECT user_id, lower(storage_location), min(storage_location), count(*), sum(quantity_total)
FROM inventory_items GROUP BY user_id, lower(storage_location);
--> statement-breakpoint
INSERT INTO inventory_color_stats (user_id, color_id, color_name, lots, quantity)
SELECT user_id, color_id, max(color_name), count(*), sum(quantity_total)
FROM inventory_items GROUP BY user_id, color_id;
